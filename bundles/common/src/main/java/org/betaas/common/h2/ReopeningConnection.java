package org.betaas.common.h2;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.h2.jdbc.JdbcConnection;

/**
 * A connection to an embedded H2 database that opens the database again once H2 closed it under its user.
 *
 * <p>H2 closes a database for good when a write to its file fails — a full disk, the usual one on a gateway's SD
 * card. The connection then still says it is open and valid ({@code isClosed()} false, {@code isValid()} true), but
 * every statement fails with "The database has been closed" (90098), also once the disk has room again: the store
 * that held it stayed broken until the gateway restarted. This connection checks, before each call, whether H2's
 * store under it is closed (or a statement or result it handed out said so), and then opens the database afresh
 * (what was committed before is there; the transaction that failed is gone). Everything else goes straight to H2's
 * own connection.
 *
 * <p>For embedded H2 file databases; an in-memory one would come back empty.
 */
public final class ReopeningConnection implements InvocationHandler {

    /** H2's error codes for a database it closed (DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN). */
    private static final int CLOSED = 90098;
    private static final int CLOSED_AT_SHUTDOWN = 90121;

    /** From H2's connection to whether its store is closed: session, database, store, MVStore, isClosed. */
    private static final String[] STORE_CHAIN = {"getSession", "getDatabase", "getStore", "getMvStore", "isClosed"};
    /** Those methods, looked up once: the question comes before every call on the connection. */
    private static volatile Method[] storeChain;

    private final String url;
    private final Properties properties;
    private Connection current;
    private boolean closedUnderneath;
    private boolean closed;

    private ReopeningConnection(String url, Properties properties, Connection first) {
        this.url = url;
        this.properties = properties;
        this.current = first;
    }

    /**
     * Opens {@code jdbcUrl} with H2's driver (not DriverManager, which does not see H2 from inside an OSGi bundle).
     *
     * @throws SQLException when the database cannot be opened
     */
    public static Connection open(String jdbcUrl) throws SQLException {
        return open(jdbcUrl, new Properties());
    }

    /** As {@link #open(String)}, with the driver's properties (user, password). */
    public static Connection open(String jdbcUrl, Properties properties) throws SQLException {
        Connection first = connect(jdbcUrl, properties);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ReopeningConnection(jdbcUrl, properties, first));
    }

    /** Whether H2 closed the database under its connections: the error every call gets until it is opened again. */
    public static boolean closedUnderneath(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getErrorCode() == CLOSED || s.getErrorCode() == CLOSED_AT_SHUTDOWN) {
                return true;
            }
        }
        return false;
    }

    private static Connection connect(String url, Properties properties) throws SQLException {
        Connection c = new org.h2.Driver().connect(url, properties);
        if (c == null) {
            throw new SQLException("not an H2 URL: " + url);
        }
        return c;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                return close();
            case "isClosed":
                return isClosed();
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "ReopeningConnection[" + url + "]";
            default:
                return watched(call(connection(), method, args));
        }
    }

    private synchronized Object close() throws SQLException {
        closed = true;
        current.close();
        return null;
    }

    private synchronized boolean isClosed() throws SQLException {
        return closed || (!closedUnderneath && current.isClosed());
    }

    /** H2's connection, opened again first if H2 closed the database since the last call. */
    private synchronized Connection connection() throws SQLException {
        if (!closed && (closedUnderneath || storeClosed(current))) {
            try {
                current.close();
            } catch (SQLException ignored) {
                // H2 closed it already
            }
            current = connect(url, properties);
            closedUnderneath = false;
        }
        return current;
    }

    /**
     * Whether H2's store under the connection is closed: the failed write closes it at once, though the call that
     * failed says only "General error" and the connection still says it is open. Read by reflection: H2's bundle
     * does not export its engine's packages.
     */
    private static boolean storeClosed(Connection c) {
        try {
            Object o = c.unwrap(JdbcConnection.class);
            Method[] known = storeChain;
            Method[] found = new Method[STORE_CHAIN.length];
            for (int i = 0; i < STORE_CHAIN.length; i++) {
                found[i] = known != null ? known[i] : o.getClass().getMethod(STORE_CHAIN[i]);
                o = found[i].invoke(o);
                if (o == null) {
                    return false; // no store (yet): nothing closed
                }
            }
            storeChain = found;
            return (Boolean) o;
        } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
            return false; // not H2's embedded connection, or another H2: only its errors tell
        }
    }

    private synchronized void sawClosed() {
        closedUnderneath = true;
    }

    /** Calls the method on the target, taking note of the error that says H2 closed the database. */
    private Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql && closedUnderneath(sql)) {
                sawClosed();
            }
            throw cause;
        }
    }

    /** Statements, results and metadata handed out are watched too: that is where the error shows first. */
    private Object watched(Object result) {
        for (Class<?> type : new Class<?>[] {java.sql.CallableStatement.class, java.sql.PreparedStatement.class,
                Statement.class, ResultSet.class, DatabaseMetaData.class}) {
            if (type.isInstance(result)) {
                return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                        (proxy, method, args) -> watched(call(result, method, args)));
            }
        }
        return result;
    }
}
