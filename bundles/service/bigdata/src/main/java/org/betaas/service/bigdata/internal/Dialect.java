package org.betaas.service.bigdata.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import org.betaas.common.h2.ReopeningConnection;

/**
 * What differs between the databases the store runs on. Everything else is the same SQL (standard types,
 * {@code FETCH FIRST}, {@code EXTRACT(EPOCH FROM ...)}, {@code CREATE ... IF NOT EXISTS}).
 */
enum Dialect {

    H2 {
        @Override
        Connection connect(String url, Properties credentials) throws SQLException {
            // opened again once H2 closed it on a failed write (a full disk), when the disk has room again
            return ReopeningConnection.open(url, credentials);
        }

        @Override
        String bytesQuery(String table, boolean hypertable) {
            return "SELECT DISK_SPACE_USED('" + table.toUpperCase(Locale.ROOT) + "')";
        }
    },

    POSTGRESQL {
        @Override
        Connection connect(String url, Properties credentials) throws SQLException {
            try {
                return new org.postgresql.Driver().connect(url, withTimeouts(credentials));
            } catch (NoClassDefFoundError e) {
                throw new SQLException("the PostgreSQL JDBC driver (bundle org.postgresql.jdbc) is not installed:"
                        + " install the betaas-bigdata feature, which brings it");
            }
        }

        @Override
        String bytesQuery(String table, boolean hypertable) {
            return hypertable ? "SELECT hypertable_size('" + table + "')"
                    : "SELECT pg_total_relation_size('" + table + "')";
        }

        @Override
        boolean hasTimescale(Connection c) throws SQLException {
            try (var s = c.createStatement();
                 var r = s.executeQuery("SELECT COUNT(*) FROM pg_extension WHERE extname = 'timescaledb'")) {
                return r.next() && r.getLong(1) > 0;
            }
        }

        @Override
        Optional<String> hypertableStatement(String table, String timeColumn) {
            return Optional.of("SELECT create_hypertable('" + table + "', '" + timeColumn
                    + "', if_not_exists => TRUE, migrate_data => TRUE)");
        }
    };

    /**
     * PostgreSQL's driver waits for the server without a deadline by default: a server that accepts connections and
     * never answers (hung, or behind a proxy whose backend is gone) held every caller for good. These bound opening
     * a connection and each answer; parameters in the JDBC URL take precedence.
     */
    static Properties withTimeouts(Properties credentials) {
        Properties p = new Properties();
        p.putAll(credentials);
        p.setProperty("connectTimeout", "10");
        p.setProperty("loginTimeout", "10");
        p.setProperty("socketTimeout", "60");
        return p;
    }

    /** The dialect of a JDBC URL, empty for a database the store does not know. */
    static Optional<Dialect> of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.of(H2);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        return Optional.empty();
    }

    abstract Connection connect(String url, Properties credentials) throws SQLException;

    /** One row, one column: the bytes the table takes on disk. */
    abstract String bytesQuery(String table, boolean hypertable);

    /** Whether the TimescaleDB extension is installed in the database. */
    boolean hasTimescale(Connection c) throws SQLException {
        return false;
    }

    /** Turns the table into a TimescaleDB hypertable, where the database has it. */
    Optional<String> hypertableStatement(String table, String timeColumn) {
        return Optional.empty();
    }

    /** A JDBC URL fit for logs and status: values of password parameters replaced. */
    static String withoutSecrets(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
