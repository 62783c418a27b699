package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    @Test
    public void aReconnectFollowsAClosedConnection() throws Exception {
        Database db = open();
        try {
            JdbcMeasurementStore store = new JdbcMeasurementStore(db);
            store.store(List.of(new Measurement("a", "", T0, "Cel", 1.0)));
            db.connection().close();
            assertEquals(1, store.rows());
        } finally {
            db.close();
        }
    }
}
