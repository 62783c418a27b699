package org.betaas.service.bigdata.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One JDBC connection to the Big Data database, opened again when it broke (a PostgreSQL server restarted), used by
 * one caller at a time through {@link #use}.
 *
 * <p>A caller waits for the connection at most the answer timeout. A server that stops answering (hung, or a
 * network that drops packets) holds the caller using the connection until the driver gives up (validity check,
 * connect or socket timeout); callers queued behind it used to wait that long each, one after the other, and an
 * operator's {@code betaas:bigdata-info} or {@code GET /bigdata} with them. Now they fail once the timeout has
 * passed; while the call in progress has gone unanswered longer than that, and after such a call failed until a
 * call or a {@link #probe()} is answered, every new one fails at once, naming what was asked and since when.
 */
final class Database implements AutoCloseable {

    /** What a caller does with the connection. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** The call in progress: what it asked for, since when (for the message) and its start (for the bound). */
    private record Call(String what, LocalTime since, long startNanos) {
    }

    /** Always with seconds (LocalTime's own text drops them when they are zero), as HangGuard writes it. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private final Properties credentials = new Properties();
    private final Dialect dialect;
    private final long answerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Call current;
    /** The call that went unanswered past the bound and failed, while no call has been answered since. */
    private volatile Call unanswered;
    /** Guarded by {@link #lock} except in {@link #close()}, which may abort it from another thread. */
    private volatile Connection connection;

    /**
     * @throws SQLException when the URL is of no known database or the database cannot be opened; the message
     *                      never holds the password
     */
    Database(String url, String user, String password) throws SQLException {
        this(url, user, password, DEFAULT_ANSWER_TIMEOUT);
    }

    Database(String url, String user, String password, Duration answerTimeout) throws SQLException {
        this.url = url;
        this.answerNanos = answerTimeout.toNanos();
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

    /**
     * Runs {@code work} on the connection (reopened first when it broke), once no other caller uses it.
     *
     * @param what what the work asks for, in words, for the message when the database does not answer
     * @throws SQLException from the work, or when the database has not answered a call for the answer timeout
     */
    <T> T use(String what, Work<T> work) throws SQLException {
        Call gone = unanswered;
        if (gone != null) {
            throw notAnswering(gone);
        }
        return call(what, work);
    }

    /**
     * Whether the database answers: tries the connection (reopening it if need be) even while calls fail at once,
     * and lets them through again when it does. For a background thread: it may wait up to the driver's timeouts.
     */
    boolean probe() {
        try {
            call("a sign of life", c -> null);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether calls fail at once because one went unanswered past the answer timeout and none was answered since. */
    boolean unanswered() {
        return unanswered != null;
    }

    private <T> T call(String what, Work<T> work) throws SQLException {
        Call stuck = current;
        if (stuck != null && System.nanoTime() - stuck.startNanos() > answerNanos) {
            throw notAnswering(stuck);
        }
        try {
            if (!lock.tryLock(answerNanos, TimeUnit.NANOSECONDS)) {
                Call holder = current;
                throw notAnswering(holder != null ? holder : new Call(what, LocalTime.now(), System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the Big Data database " + displayUrl());
        }
        Call call = new Call(what, LocalTime.now(), System.nanoTime());
        current = call;
        try {
            T result = work.on(connection());
            unanswered = null;
            return result;
        } catch (SQLException e) {
            // a failure that took longer than the bound was the driver giving up on a server that did not answer
            // (validity check, connect or socket timeout): the next callers are told at once until one is answered;
            // a quick one is an answer, if an error
            boolean timedOut = System.nanoTime() - call.startNanos() > answerNanos;
            unanswered = timedOut ? (unanswered == null ? call : unanswered) : null;
            throw e;
        } finally {
            current = null;
            lock.unlock();
        }
    }

    /** What the call in progress asked for; empty when none is. */
    Optional<String> callInProgress() {
        Call c = current;
        return c == null ? Optional.empty() : Optional.of(c.what());
    }

    private SQLException notAnswering(Call call) {
        return new SQLException("it has not answered since " + TIME.format(call.since()) + " (asked for " + call.what() + "): is its"
                + " server hung, or busy with a long query? Check the server; calls fail at once until it answers");
    }

    private Connection connection() throws SQLException {
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

    /**
     * Closes the connection; one that a call still waits on past the answer timeout is aborted first (JDBC's
     * {@code abort} drops it at once), so that stopping the gateway does not wait for a server that never answers.
     */
    @Override
    public void close() {
        boolean locked = false;
        try {
            locked = lock.tryLock(answerNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        connection = null;
        try {
            if (c == null) {
                return;
            }
            if (!locked) {
                c.abort(Runnable::run); // PostgreSQL's driver drops the socket; H2's does nothing (in-process)
            }
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }
}
