package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.BigDataStatus;
import org.betaas.api.bigdata.NodeRole;
import org.betaas.api.things.Measurement;
import org.betaas.common.h2.FullDisk;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The manager without OSGi, on in-memory H2, with a fake provisioner and a clock the test moves. */
public class BigDataCoreTest {

    private static final AtomicInteger NEXT = new AtomicInteger();

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private final FakeProvisioner provisioner = new FakeProvisioner();
    private Database db;

    @Before
    public void open() throws Exception {
        db = new Database("jdbc:h2:mem:core-" + NEXT.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "", "");
    }

    @After
    public void close() {
        db.close();
    }

    private BigDataCore core(Retention retention, long rowsHigh, double queriesHigh) throws Exception {
        return new BigDataCore(new JdbcMeasurementStore(db), new NodeRecords(db), "jdbc:h2:mem:test", List.of(),
                retention, new NodeScaler(new NodeScaler.Thresholds(rowsHigh, 0, queriesHigh, 0.5, 1, 1,
                Duration.ZERO, Duration.ofSeconds(30))), "bigdata-storage-test", "bigdata-compute-test",
                provisioner, clock);
    }

    private void measure(BigDataCore core, int count) throws BigDataException {
        List<Measurement> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new Measurement("sim-1", "", clock.instant().minusMillis(count - i), "Cel", 20.0 + i));
        }
        core.store(batch);
    }

    @Test
    public void crossingTheRowsThresholdDeploysAStorageNodeAndRetentionBelowItReleasesIt() throws Exception {
        BigDataCore core = core(new Retention(Duration.ofSeconds(60), 0), 100, 0);
        measure(core, 99);
        core.tick();
        assertTrue(provisioner.deployed.isEmpty());
        measure(core, 1);
        core.tick();
        assertEquals(List.of("bigdata-storage-test"), provisioner.deployed);
        BigDataNode node = core.held().get(0);
        assertEquals(NodeRole.STORAGE, node.role());
        assertEquals("100 rows against a threshold of 100", node.reason());
        assertEquals(List.of(node), core.status().nodes());

        // between the release level (50) and the threshold: kept
        clock.advance(Duration.ofSeconds(61));
        measure(core, 60);
        core.tick();
        assertEquals(60, core.status().rows());
        assertEquals(1, core.held().size());
        // everything ages out: released
        clock.advance(Duration.ofSeconds(61));
        core.tick();
        assertEquals(0, core.status().rows());
        assertTrue(core.held().isEmpty());
        assertEquals(List.of(node.vmId()), provisioner.released);
    }

    @Test
    public void heldNodesSurviveARestartAndAreReleasedThen() throws Exception {
        BigDataCore first = core(new Retention(Duration.ZERO, 0), 10, 0);
        measure(first, 10);
        first.tick();
        assertEquals(1, first.held().size());
        BigDataCore second = core(new Retention(Duration.ZERO, 4), 10, 0);
        assertEquals(first.held(), second.held());
        second.tick(); // prunes to 4 rows: below 50% of 10
        assertEquals(List.of(first.held().get(0).vmId()), provisioner.released);
        assertTrue(core(new Retention(Duration.ZERO, 0), 10, 0).held().isEmpty());
    }

    @Test
    public void aNodeDestroyedBehindTheManagersBackIsForgotten() throws Exception {
        BigDataCore core = core(new Retention(Duration.ZERO, 0), 10, 0);
        measure(core, 20);
        core.tick();
        String vm = core.held().get(0).vmId();
        provisioner.existing.remove(vm);
        core.tick(); // forgotten, then asked for again: the load is still high
        assertEquals(2, provisioner.deployed.size());
        assertTrue(provisioner.released.isEmpty());
        assertTrue(core.held().stream().noneMatch(n -> n.vmId().equals(vm)));
    }

    @Test
    public void theQueryLoadDeploysAComputeNode() throws Exception {
        BigDataCore core = core(new Retention(Duration.ZERO, 0), 0, 3);
        measure(core, 5);
        Instant from = clock.instant().minusSeconds(10);
        assertEquals(5, core.measurements("sim-1", Optional.empty(), from, clock.instant(), 100).size());
        assertEquals(5, core.aggregate("sim-1", Optional.empty(), from, clock.instant()).count());
        core.tick();
        assertTrue(provisioner.deployed.isEmpty());
        core.thingIds();
        assertEquals(3.0, core.status().queriesPerMinute(), 0);
        core.tick();
        assertEquals(List.of("bigdata-compute-test"), provisioner.deployed);
        clock.advance(Duration.ofSeconds(61));
        core.tick();
        assertTrue(core.held().isEmpty());
    }

    @Test
    public void aFailedDeploymentIsAProblemUntilARetrySucceeds() throws Exception {
        BigDataCore core = core(new Retention(Duration.ZERO, 0), 10, 0);
        measure(core, 10);
        provisioner.failWith = "no gateway has room";
        core.tick();
        BigDataStatus status = core.status();
        assertEquals(1, status.problems().size());
        assertTrue(status.problems().get(0), status.problems().get(0).contains("no gateway has room"));
        provisioner.failWith = null;
        clock.advance(Duration.ofSeconds(10));
        core.tick();
        assertTrue(provisioner.deployed.isEmpty()); // waits 30 s after a failure
        clock.advance(Duration.ofSeconds(20));
        core.tick();
        assertEquals(1, provisioner.deployed.size());
        assertTrue(core.status().problems().isEmpty());
    }

    @Test
    public void wrongQueriesAreRefusedWithWhatToChange() throws Exception {
        BigDataCore core = core(new Retention(Duration.ZERO, 0), 0, 0);
        Instant now = clock.instant();
        expect(() -> core.measurements("", Optional.empty(), now.minusSeconds(1), now, 10), "No thing id");
        expect(() -> core.measurements("a", Optional.empty(), now, now, 10), "'from' must be before 'to'");
        expect(() -> core.measurements("a", Optional.empty(), now.minusSeconds(1), now, 0), "use 1-100000");
        expect(() -> core.aggregates("a", Optional.empty(), now.minusSeconds(10), now, Duration.ofMillis(10)),
                "one second or more");
        expect(() -> core.aggregates("a", Optional.empty(), now.minus(Duration.ofDays(400)), now,
                Duration.ofSeconds(1)), "use a longer bucket");
    }

    /**
     * A full disk: H2 closes the Big Data database on the failed write. What could not be stored is counted for the
     * operator, and storing works again once the disk has room (it used to fail for good, until a restart).
     */
    @Test
    public void aFullDiskLosesOnlyWhatCameMeanwhileAndIsShown() throws Exception {
        // written at each commit, so that the batch stored while the disk is full is the one that fails (the
        // component's 50 ms write delay makes it the next one)
        Database onDisk = new Database(FullDisk.url(tmp.newFolder("bigdata").toPath(), "bigdata")
                + ";WRITE_DELAY=0", "", "");
        try {
            BigDataCore core = new BigDataCore(new JdbcMeasurementStore(onDisk), new NodeRecords(onDisk),
                    "jdbc:h2:fulldisk:bigdata", List.of(), new Retention(Duration.ZERO, 0),
                    new NodeScaler(new NodeScaler.Thresholds(0, 0, 0, 0.5, 1, 1, Duration.ZERO, Duration.ZERO)),
                    "s", "c", provisioner, clock);
            measure(core, 2);
            FullDisk.full = true;
            expect(() -> {
                measure(core, 3);
                return null;
            }, "Storing 3 measurements failed");
            assertEquals(1, core.status().problems().size());
            assertTrue(core.status().problems().get(0),
                    core.status().problems().get(0).startsWith("3 measurement(s) could not be stored since the start"));
            FullDisk.full = false;
            clock.advance(Duration.ofSeconds(1));
            measure(core, 4);
            assertEquals("stored before the disk was full, and after", 6, core.status().rows());
        } finally {
            FullDisk.full = false;
            onDisk.close();
        }
    }

    @Test
    public void withoutADatabaseQueriesSayWhyAndStatusShowsTheProblem() throws Exception {
        BigDataCore core = new BigDataCore(null, null, "jdbc:postgresql://db/x", List.of("database down"),
                new Retention(Duration.ZERO, 0), new NodeScaler(new NodeScaler.Thresholds(1, 0, 0, 0.5, 1, 1,
                Duration.ZERO, Duration.ZERO)), "s", "c", provisioner, clock);
        expect(() -> core.thingIds(), "database down");
        assertEquals(List.of("database down"), core.status().problems());
        assertEquals(-1, core.status().rows());
        core.tick();
        assertTrue(provisioner.deployed.isEmpty());
    }

    private interface Call {
        Object run() throws BigDataException;
    }

    private static void expect(Call call, String message) {
        try {
            call.run();
            fail("no exception, expected one saying " + message);
        } catch (BigDataException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }

    private final class FakeProvisioner implements NodeProvisioner {
        final List<String> deployed = new ArrayList<>();
        final List<String> released = new ArrayList<>();
        final Set<String> existing = new HashSet<>();
        String failWith;

        @Override
        public BigDataNode deploy(NodeRole role, String template, String reason) throws Exception {
            if (failWith != null) {
                throw new Exception(failWith);
            }
            deployed.add(template);
            String id = "vm-" + deployed.size();
            existing.add(id);
            return new BigDataNode(id, role, template, "gw-test", clock.instant(), reason);
        }

        @Override
        public void release(BigDataNode node) {
            released.add(node.vmId());
            existing.remove(node.vmId());
        }

        @Override
        public Optional<Boolean> exists(BigDataNode node) {
            return Optional.of(existing.contains(node.vmId()));
        }
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
