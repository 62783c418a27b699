package org.betaas.service.bigdata.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One JDBC connection to the Big Data database, opened again when it broke (a PostgreSQL server restarted).
 * Callers synchronise on this object around every use.
 */
final class Database implements AutoCloseable {

    private final String url;
    private final Properties credentials = new Properties();
    private final Dialect dialect;
    private Connection connection;

    /**
     * @throws SQLException when the URL is of no known database or the database cannot be opened; the message
     *                      never holds the password
     */
    Database(String url, String user, String password) throws SQLException {
        this.url = url;
        this.dialect = Dialect.of(url).orElseThrow(() -> new SQLException("unsupported JDBC URL "
                + Dialect.withoutSecrets(url) + ": use jdbc:h2:... or jdbc:postgresql://host:port/database"));
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        connection = open();
    }

    private Connection open() throws SQLException {
        Connection c = dialect.connect(url, credentials);
        if (c == null) {
            throw new SQLException("the driver does not accept " + Dialect.withoutSecrets(url));
        }
        return c;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The URL fit for logs. */
    String displayUrl() {
        return Dialect.withoutSecrets(url);
    }

    synchronized Connection connection() throws SQLException {
        if (connection == null || connection.isClosed() || !connection.isValid(5)) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // it was broken already
                }
            }
            connection = open();
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            connection = null;
        }
    }
}
