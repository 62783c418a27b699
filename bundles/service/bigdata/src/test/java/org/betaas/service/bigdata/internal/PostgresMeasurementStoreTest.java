package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.betaas.api.things.Measurement;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The store on a real PostgreSQL server: a throwaway cluster of Debian's {@code postgresql} package (installed by
 * itests/host/setup), one per class, a new database per test.
 */
public class PostgresMeasurementStoreTest extends MeasurementStoreContract {

    private static PostgresCluster cluster;

    @BeforeClass
    public static void startServer() throws Exception {
        Optional<Path> bin = PostgresCluster.serverBinaries();
        if (bin.isEmpty() && System.getenv("CI") != null) {
            throw new IllegalStateException("PostgreSQL server binaries are missing under /usr/lib/postgresql/*/bin:"
                    + " itests/host/setup installs Debian's postgresql package");
        }
        assumeTrue("Skipped: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (run itests/host/setup,"
                + " which installs Debian's postgresql package)", bin.isPresent());
        assumeTrue("Skipped: running as root and no non-root user (postgres or nobody) to run the PostgreSQL server as",
                !PostgresCluster.isRoot() || PostgresCluster.serverUser().isPresent());
        cluster = PostgresCluster.start(bin.get());
    }

    @AfterClass
    public static void stopServer() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Override
    protected Database open() throws Exception {
        return cluster.newDatabase();
    }

    /**
     * A server that stops answering with the connection open (SIGSTOP: what a hung server, or one behind a network
     * that drops packets, looks like): the call in progress waits, the next callers are told within the answer
     * timeout and then at once, instead of queuing behind it for the driver's socket timeout each.
     */
    @Test(timeout = 60_000)
    public void callersOfAServerThatStoppedAnsweringAreToldInsteadOfQueuing() throws Exception {
        Database db = cluster.newDatabase(Duration.ofSeconds(1));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            JdbcMeasurementStore store = new JdbcMeasurementStore(db);
            store.store(List.of(new Measurement("a", "", T0, "Cel", 1.0)));
            cluster.signal("STOP");
            Future<Long> counting = caller.submit(store::rows);
            while (db.callInProgress().isEmpty()) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 2; i++) {
                try {
                    store.thingIds();
                    fail("read a server that does not answer");
                } catch (SQLException e) {
                    assertTrue(e.getMessage(), e.getMessage().startsWith("it has not answered since "));
                    assertTrue(e.getMessage(), e.getMessage().contains("(asked for its number of rows)"));
                }
            }
            cluster.signal("CONT");
            assertEquals(Long.valueOf(1), counting.get(30, TimeUnit.SECONDS));
            assertEquals(List.of("a"), store.thingIds());
        } finally {
            cluster.signal("CONT");
            caller.shutdownNow();
            db.close();
        }
    }

    @Test
    public void aReconnectFollowsAClosedConnection() throws Exception {
        Database db = open();
        try {
            JdbcMeasurementStore store = new JdbcMeasurementStore(db);
            store.store(List.of(new Measurement("a", "", T0, "Cel", 1.0)));
            db.use("closing the connection", c -> {
                c.close();
                return null;
            });
            assertEquals(1, store.rows());
        } finally {
            db.close();
        }
    }
}
