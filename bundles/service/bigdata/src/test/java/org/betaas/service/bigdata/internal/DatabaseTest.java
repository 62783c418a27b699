package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

/** One caller at a time on the connection, and callers that do not queue behind a call the server never answers. */
public class DatabaseTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Duration ANSWER = Duration.ofMillis(500);

    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    private final CountDownLatch answered = new CountDownLatch(1);
    private Database db;

    @After
    public void close() {
        answered.countDown();
        caller.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    private Database open() throws SQLException {
        return new Database("jdbc:h2:mem:database-" + NEXT.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "", "", ANSWER);
    }

    /** A call on another thread that the "server" answers only once {@link #answered} is counted down. */
    private Future<Integer> unansweredCall(String what) throws Exception {
        return unansweredCall(what, false);
    }

    /** The same; with {@code timesOut}, the driver then gives up on it instead (as on a socket timeout). */
    private Future<Integer> unansweredCall(String what, boolean timesOut) throws Exception {
        Future<Integer> call = caller.submit(() -> db.use(what, c -> {
            awaitAnswer();
            if (timesOut) {
                throw new SQLException("Read timed out");
            }
            try (ResultSet r = c.createStatement().executeQuery("SELECT 41 + 1")) {
                r.next();
                return r.getInt(1);
            }
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.callInProgress().isEmpty()) {
            assertTrue("the call never started", System.nanoTime() < deadline);
            Thread.onSpinWait();
        }
        return call;
    }

    private void awaitAnswer() throws SQLException {
        try {
            answered.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted");
        }
    }

    @Test
    public void aCallGivesItsAnswerAndItsErrors() throws Exception {
        db = open();
        assertEquals(Integer.valueOf(7), db.use("a sum", c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT 3 + 4")) {
                r.next();
                return r.getInt(1);
            }
        }));
        try {
            db.use("a missing table", c -> c.createStatement().executeQuery("SELECT * FROM no_such_table"));
            fail("the database's error was lost");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("NO_SUCH_TABLE"));
        }
        assertTrue(db.callInProgress().isEmpty());
    }

    @Test
    public void callersWaitAtMostTheAnswerTimeoutAndThenFailAtOnceUntilTheCallIsAnswered() throws Exception {
        db = open();
        Future<Integer> first = unansweredCall("its number of rows");
        long start = System.nanoTime();
        try {
            db.use("the things stored", c -> 1);
            fail("a caller queued behind a call that is not answered");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().matches("it has not answered since \\d\\d:\\d\\d:\\d\\d \\(asked"
                    + " for its number of rows\\): is its server hung, or busy with a long query\\? .*"));
        }
        long waited = System.nanoTime() - start;
        assertTrue("gave up after " + waited / 1_000_000 + " ms, before the answer timeout",
                waited >= ANSWER.toNanos());
        // the unanswered call is now older than the timeout: the next caller is told at once, without waiting for it
        start = System.nanoTime();
        try {
            db.use("the things stored", c -> 1);
            fail("a caller queued behind a call that is not answered");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("(asked for its number of rows)"));
        }
        waited = System.nanoTime() - start;
        assertTrue("waited " + waited / 1_000_000 + " ms again", waited < ANSWER.toNanos());
        answered.countDown();
        assertEquals(Integer.valueOf(42), first.get(10, TimeUnit.SECONDS));
        assertEquals(Integer.valueOf(1), db.use("the things stored", c -> 1));
    }

    @Test
    public void afterACallTimedOutCallersAreToldAtOnceUntilAProbeIsAnswered() throws Exception {
        db = open();
        Future<Integer> first = unansweredCall("storing 3 measurements", true);
        try {
            db.use("its size", c -> 1); // waits the answer timeout: the first call is then older than that
            fail("a caller queued behind a call that is not answered");
        } catch (SQLException expected) {
            // as in the test above
        }
        answered.countDown();
        try {
            first.get(10, TimeUnit.SECONDS);
            fail("the driver's timeout was lost");
        } catch (java.util.concurrent.ExecutionException e) {
            assertEquals("Read timed out", e.getCause().getMessage());
        }
        assertTrue(db.callInProgress().isEmpty());
        long start = System.nanoTime();
        try {
            db.use("its size", c -> 1);
            fail("a caller was sent to a server whose last call timed out");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("(asked for storing 3 measurements)"));
        }
        long waited = System.nanoTime() - start;
        assertTrue("waited " + waited / 1_000_000 + " ms", waited < ANSWER.toNanos());
        assertTrue(db.unanswered());
        assertTrue("the probe found no sign of life in a database that answers", db.probe());
        assertEquals(Integer.valueOf(1), db.use("its size", c -> 1));
    }

    @Test
    public void closingDoesNotWaitForACallThatIsNotAnswered() throws Exception {
        db = open();
        Future<Integer> stuck = unansweredCall("its size");
        db.close();
        answered.countDown();
        try {
            stuck.get(10, TimeUnit.SECONDS);
            fail("the call went on on a connection that was closed under it");
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof SQLException);
        }
    }
}
