package org.betaas.adaptation.things.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingKind;
import org.betaas.common.h2.FullDisk;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class H2ThingRegistryTest {

    /** Deleted after each test, once the test closed its registry (and so H2) in its try-with-resources. */
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private String url;

    @Before
    public void database() throws Exception {
        File dir = tmp.newFolder("things");
        url = "jdbc:h2:file:" + new File(dir, "things").getAbsolutePath();
    }

    private static Thing thing(String id, Instant seen) {
        return new Thing(id, ThingKind.SENSOR, "temperature", "Cel", "gw-1", "mqtt", seen, seen, "", Map.of("a", "b"));
    }

    private static Measurement m(String id, String name, Instant t, Object v) {
        return new Measurement(id, name, t, "Cel", v);
    }

    /**
     * A full disk: the values reported meanwhile are written once it has room again (H2 closed the database on the
     * failed write; the registry used to fail every flush after it until the gateway restarted, and the values of
     * the failed flush were dropped from the ones to write).
     */
    @Test
    public void valuesReportedWhileTheDiskIsFullAreWrittenOnceItHasRoom() throws Exception {
        // as the component opens it: each flush written when it commits, so that a failed write fails the flush
        String onDisk = FullDisk.url(tmp.newFolder("full").toPath(), "things") + ";WRITE_DELAY=0";
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Instant t1 = t0.plusSeconds(60);
        try (H2ThingRegistry r = new H2ThingRegistry(H2ThingRegistry.open(onDisk), 60_000)) {
            r.report(thing("s1", t0), List.of(m("s1", "temp", t0, 20.5)));
            r.flush();
            FullDisk.full = true;
            r.report(thing("s1", t1), List.of(m("s1", "temp", t1, 21.0)));
            try {
                r.flush();
                fail("written to a full disk");
            } catch (SQLException expected) {
                // the disk is full
            }
            FullDisk.full = false;
            r.flush();
        } finally {
            FullDisk.full = false;
        }
        try (H2ThingRegistry r = new H2ThingRegistry(H2ThingRegistry.open(onDisk), 60_000)) {
            assertEquals(List.of(m("s1", "temp", t1, 21.0)), r.lastValues("s1"));
            assertEquals(t1, r.find("s1").orElseThrow().lastSeen());
        }
    }

    @Test
    public void registersMergesAndPersistsAcrossRestart() throws Exception {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Instant t1 = t0.plusSeconds(60);
        try (H2ThingRegistry r = new H2ThingRegistry(H2ThingRegistry.open(url), 60_000)) {
            r.report(thing("s1", t0), List.of(m("s1", "temp", t0, 20.5), m("s1", "on", t0, true)));
            r.report(thing("s1", t1), List.of(m("s1", "temp", t1, 21.0), m("s1", "label", t1, "ok")));
            r.report(thing("s1", t0), List.of(m("s1", "temp", t0, 19.0))); // late: does not replace
            r.lost("s1", "left the room");
            assertEquals(1, r.things().size());
            assertEquals(t0, r.find("s1").orElseThrow().firstSeen());
            assertEquals(t1, r.find("s1").orElseThrow().lastSeen());
        }
        try (H2ThingRegistry r = new H2ThingRegistry(H2ThingRegistry.open(url), 60_000)) {
            Thing s1 = r.find("s1").orElseThrow();
            assertEquals(t0, s1.firstSeen());
            assertEquals(t1, s1.lastSeen());
            assertEquals("left the room", s1.metadata().get(H2ThingRegistry.LOST));
            assertEquals("b", s1.metadata().get("a"));
            List<Measurement> values = r.lastValues("s1");
            assertEquals(3, values.size());
            assertEquals("label", values.get(0).name());
            assertEquals("ok", values.get(0).value());
            assertEquals(true, values.get(1).value());
            assertEquals(21.0, values.get(2).value());
            r.report(thing("s1", t1), List.of());
            assertTrue("reporting clears lost", !r.find("s1").orElseThrow().metadata().containsKey("lost"));
        }
    }

    @Test
    public void slowSubscriberDropsWithoutStallingOthers() throws Exception {
        try (H2ThingRegistry r = new H2ThingRegistry(H2ThingRegistry.open(url), 60_000)) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger fast = new AtomicInteger();
            Subscription slow = r.subscribe("slow", ThingFilter.all(), 10, (t, ms) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Subscription quick = r.subscribe("fast", ThingFilter.all(), 10_000, (t, ms) -> fast.incrementAndGet());
            Subscription other = r.subscribe("other", ThingFilter.thing("nobody"), 10, (t, ms) -> {
                throw new AssertionError("filtered out");
            });
            Instant now = Instant.now();
            long start = System.nanoTime();
            for (int i = 0; i < 5000; i++) {
                r.report(thing("s" + (i % 7), now), List.of(m("s" + (i % 7), "", now, (double) i)));
            }
            assertTrue("reporting must not wait for subscribers",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 5);
            long deadline = System.currentTimeMillis() + 10_000;
            while (fast.get() < 5000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(5000, fast.get());
            SubscriberStats s = slow.stats();
            assertTrue("slow subscriber dropped " + s, s.dropped() >= 5000 - 11);
            assertTrue(s.queued() <= 10);
            assertEquals(0, other.stats().delivered());
            assertEquals(3, r.subscriberStats().size());
            release.countDown();
            slow.close();
            quick.close();
            other.close();
            assertEquals(0, r.subscriberStats().size());
        }
    }
}
