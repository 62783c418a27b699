package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.inject.Inject;

import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.NodeRole;
import org.betaas.api.things.Measurement;
import org.betaas.api.vm.VmManager;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Big Data Manager on the distribution's simulated things: their measurements are stored (embedded H2) and
 * queryable; with a low rows threshold (test configuration), crossing it deploys a storage node from the x86_64
 * test guest template through the TaaS Resources Manager, and once the simulator stops and retention ages the rows
 * out, the node is released (its VM destroyed). Configured for PostgreSQL (a throwaway server of Debian's
 * package), the same store and queries work through the driver bundle, and the password never shows.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BigDataIT extends BetaasTestSupport {

    private static final String BROKER_PORT = freePort();
    private static final String PID = "org.betaas.bigdata";
    private static final String CFG = "etc/" + PID + ".cfg";
    private static final String STORAGE_TEMPLATE = "bigdata-storage-test-x86_64";
    private static final int ROWS_HIGH = 30;

    @Inject
    private VmManager vms;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            simulatedThingsOnBroker(BROKER_PORT),
            // the storage node: the tiny x86_64 test guest on the host's libvirtd (as in VmManagerIT)
            testGuestsOnHostLibvirt(),
            // thresholds low enough for the simulator (2 things, a value each every 0.5 s) to cross in seconds,
            // and a retention short enough for the rows to fall below once it stops
            editConfigurationFilePut(CFG, "check.interval.s", "1"),
            editConfigurationFilePut(CFG, "storage.rows.high", Integer.toString(ROWS_HIGH)),
            editConfigurationFilePut(CFG, "storage.bytes.high", "0"),
            editConfigurationFilePut(CFG, "compute.queries.per.minute.high", "0"),
            editConfigurationFilePut(CFG, "release.fraction", "0.5"),
            editConfigurationFilePut(CFG, "cooldown.s", "0"),
            editConfigurationFilePut(CFG, "retention.max.age.s", "20"),
            editConfigurationFilePut(CFG, "storage.template", STORAGE_TEMPLATE),
        };
    }

    /**
     * The Big Data Manager as it is now: a configuration change re-creates the component, so a service object
     * injected at the start would go stale once another test changed it.
     */
    private BigDataManager bigData() {
        BigDataManager[] current = new BigDataManager[1];
        awaitTrue("the Big Data Manager service", () -> {
            ServiceReference<BigDataManager> ref = bundleContext.getServiceReference(BigDataManager.class);
            if (ref == null) {
                return false;
            }
            try {
                current[0] = bundleContext.getService(ref);
            } finally {
                bundleContext.ungetService(ref);
            }
            return current[0] != null;
        });
        return current[0];
    }

    @After
    public void destroyNodesLeftBehind() {
        for (BigDataNode n : bigData().status().nodes()) {
            try {
                if (vms.find(n.vmId()).isPresent()) {
                    vms.destroy(n.vmId());
                }
            } catch (Exception e) {
                System.err.println("Could not destroy " + n.vmId() + ": " + e.getMessage());
            }
        }
    }

    private List<Measurement> lastMinute(String thingId) {
        Instant now = Instant.now();
        try {
            return bigData().measurements(thingId, Optional.empty(), now.minusSeconds(60), now.plusSeconds(1), 1000);
        } catch (BigDataException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private Optional<BigDataNode> storageNode() {
        return bigData().status().nodes().stream().filter(n -> n.role() == NodeRole.STORAGE).findFirst();
    }

    @Test
    public void simulatedMeasurementsAreStoredAndAStorageNodeFollowsTheThreshold() throws Exception {
        assertBundlesActive("org.betaas.service.bigdata", "org.postgresql.jdbc");
        assertTrue(bigData().status().database(), bigData().status().database().startsWith("jdbc:h2:file:"));
        assertTrue(bigData().status().problems().toString(), bigData().status().problems().isEmpty());

        // stored and queryable
        awaitTrue("stored measurements of sim-ambient-1", () -> lastMinute("sim-ambient-1").size() >= 3);
        Measurement m = lastMinute("sim-ambient-1").get(0);
        assertEquals("sim-ambient-1", m.thingId());
        assertEquals("Cel", m.unit());
        assertTrue(String.valueOf(m.value()), m.value() instanceof Double);
        Instant now = Instant.now();
        Aggregate a = bigData().aggregate("sim-ambient-1", Optional.empty(), now.minusSeconds(60),
                now.plusSeconds(1));
        assertTrue(a.toString(), a.count() >= 3 && a.min() <= a.mean() && a.mean() <= a.max());
        List<Aggregate> buckets = bigData().aggregates("sim-ambient-1", Optional.empty(), now.minusSeconds(60),
                now.plusSeconds(1), Duration.ofSeconds(5));
        assertEquals(a.count(), buckets.stream().mapToLong(Aggregate::count).sum());
        assertTrue(bigData().thingIds().toString(), bigData().thingIds().containsAll(List.of("sim-ambient-1",
                "sim-machine-1")));
        String query = executeCommand("betaas:bigdata-query --since 1m sim-ambient-1");
        assertTrue(query, query.contains("Cel") && query.contains("numeric values: min"));
        String wrong = executeCommand("betaas:bigdata-query --since yesterday sim-ambient-1");
        assertTrue(wrong, wrong.contains("--since 'yesterday' is not a duration"));
        String months = executeCommand("betaas:bigdata-query --since 15M sim-ambient-1");
        assertTrue(months, months.contains("--since '15M' is ambiguous") && months.contains("write 15m or PT15M"));

        // crossing the rows threshold: a storage node from the test template
        awaitTrue("a storage node once " + ROWS_HIGH + " rows are stored, now: " + bigData().status(),
                () -> storageNode().isPresent());
        BigDataNode node = storageNode().orElseThrow();
        assertEquals(STORAGE_TEMPLATE, node.template());
        assertTrue("VM " + node.vmId() + " unknown to the VM Manager", vms.find(node.vmId()).isPresent());
        assertEquals(STORAGE_TEMPLATE, vms.find(node.vmId()).orElseThrow().template());
        assertTrue(node.reason(), node.reason().contains("rows against a threshold of " + ROWS_HIGH));
        String info = executeCommand("betaas:bigdata-info");
        assertTrue(info, info.contains(node.vmId()) && info.contains(STORAGE_TEMPLATE));
        assertTrue(info, info.contains("from " + ROWS_HIGH + " rows"));
        assertTrue(info, info.contains("at most 20 s old"));

        // below: the simulator stops, retention ages the rows out, the node is released and its VM destroyed
        setSimulatorEnabled(false);
        try {
            awaitTrue("the storage node released once the rows fall below " + ROWS_HIGH / 2 + ", now: "
                    + bigData().status(), () -> storageNode().isEmpty());
            assertFalse("VM " + node.vmId() + " survived its release", vms.find(node.vmId()).isPresent());
            assertTrue(bigData().status().rows() < ROWS_HIGH / 2);
            assertTrue(executeCommand("betaas:bigdata-info").contains("Nodes held: none"));
        } finally {
            setSimulatorEnabled(true);
        }
    }

    private void setSimulatorEnabled(boolean enabled) throws Exception {
        update("org.betaas.simulator", "enabled", Boolean.toString(enabled));
    }

    private void update(String pid, String... keysAndValues) throws Exception {
        Configuration[] configs = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
        assertTrue("no configuration " + pid, configs != null && configs.length == 1);
        Dictionary<String, Object> props = configs[0].getProperties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        configs[0].update(props);
    }

    @Test
    public void onPostgreSqlByConfigurationTheSameQueriesWork() throws Exception {
        Path bin = PostgresServer.binaries().orElseThrow(() -> new AssertionError("No PostgreSQL server binaries"
                + " under /usr/lib/postgresql/*/bin: run itests/host/setup, which installs Debian's postgresql"));
        String password = "pw-" + UUID.randomUUID();
        try (PostgresServer server = PostgresServer.start(bin)) {
            update(PID, "jdbc.url", server.url(), "jdbc.user", PostgresServer.USER, "jdbc.password", password);
            try {
                awaitTrue("the Big Data Manager on PostgreSQL", () -> bigData().status().database()
                        .startsWith("jdbc:postgresql:"));
                BigDataManager pg = bigData();
                assertTrue(pg.status().problems().toString(), pg.status().problems().isEmpty());
                Instant t = Instant.now().minusSeconds(5);
                pg.store(List.of(new Measurement("itest-pg", "", t, "Cel", 20.0),
                        new Measurement("itest-pg", "", t.plusSeconds(1), "Cel", 22.0),
                        new Measurement("itest-pg", "on", t.plusSeconds(1), "", true)));
                List<Measurement> back = pg.measurements("itest-pg", Optional.empty(), t, t.plusSeconds(2), 10);
                assertEquals(3, back.size());
                assertEquals(20.0, back.get(0).value());
                Aggregate a = pg.aggregate("itest-pg", Optional.empty(), t, t.plusSeconds(2));
                assertEquals(2, a.count());
                assertEquals(21.0, a.mean(), 1e-9);
                assertTrue(pg.status().rows() >= 3);
                String info = executeCommand("betaas:bigdata-info");
                assertTrue(info, info.contains("jdbc:postgresql://127.0.0.1:" + server.port));
                assertFalse("the password was shown", info.contains(password));
            } finally {
                update(PID, "jdbc.url", "", "jdbc.user", "", "jdbc.password", "");
                awaitTrue("the Big Data Manager back on H2", () -> bigData().status().database()
                        .startsWith("jdbc:h2:"));
            }
        }
    }
}
