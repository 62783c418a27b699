package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.NodeRole;
import org.betaas.api.things.Measurement;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The same tests on every database the store runs on: subclasses say how to open one, empty. */
public abstract class MeasurementStoreContract {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private Database db;
    private JdbcMeasurementStore store;

    /** A fresh, empty database. */
    protected abstract Database open() throws Exception;

    @Before
    public void setUp() throws Exception {
        db = open();
        store = new JdbcMeasurementStore(db);
    }

    @After
    public void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private static Measurement m(String thing, String name, int secondsAfterT0, Object value) {
        return new Measurement(thing, name, T0.plusSeconds(secondsAfterT0), "Cel", value);
    }

    /** {@code count} temperatures of {@code thing}, one a second from T0, valued 0, 1, 2, ... */
    private void temperatures(String thing, int count) throws Exception {
        List<Measurement> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(m(thing, "", i, (double) i));
        }
        store.store(batch);
    }

    @Test
    public void measurementsComeBackInTheirRangeOldestFirstWithTheirTypes() throws Exception {
        store.store(List.of(m("a", "t", 2, 21.5), m("a", "t", 1, 20.25), m("a", "on", 1, true),
                m("a", "label", 3, "hall"), m("b", "t", 1, 5.0)));
        List<Measurement> all = store.measurements("a", Optional.empty(), T0, T0.plusSeconds(10), 100);
        assertEquals(4, all.size());
        assertEquals(T0.plusSeconds(1), all.get(0).time());
        assertEquals(List.of("on", "t", "t", "label"), all.stream().map(Measurement::name).toList());
        // a limit that falls among values of one instant keeps their order by name
        assertEquals(List.of("on"), store.measurements("a", Optional.empty(), T0, T0.plusSeconds(10), 1).stream()
                .map(Measurement::name).toList());
        assertEquals(List.of("on", "t", "t"), store.measurements("a", Optional.empty(), T0, T0.plusSeconds(10), 3)
                .stream().map(Measurement::name).toList());
        assertEquals(Boolean.TRUE, all.get(0).value());
        assertEquals(20.25, all.get(1).value());
        assertEquals("hall", all.get(3).value());
        assertEquals("Cel", all.get(1).unit());
        assertEquals("a", all.get(1).thingId());

        List<Measurement> onlyT = store.measurements("a", Optional.of("t"), T0, T0.plusSeconds(10), 100);
        assertEquals(List.of(20.25, 21.5), onlyT.stream().map(Measurement::value).toList());
        // the end of the range is exclusive, the start inclusive
        assertEquals(1, store.measurements("a", Optional.of("t"), T0.plusSeconds(1), T0.plusSeconds(2), 100).size());
        assertEquals(1, store.measurements("a", Optional.empty(), T0, T0.plusSeconds(10), 1).size());
        assertTrue(store.measurements("c", Optional.empty(), T0, T0.plusSeconds(10), 100).isEmpty());
    }

    @Test
    public void aggregatesCountOnlyNumbersInTheRange() throws Exception {
        temperatures("a", 10); // 0..9 at T0+0..9 s
        store.store(List.of(m("a", "", 3, "not a number")));
        Aggregate a = store.aggregate("a", Optional.empty(), T0.plusSeconds(2), T0.plusSeconds(6));
        assertEquals(4, a.count());
        assertEquals(2.0, a.min(), 0);
        assertEquals(5.0, a.max(), 0);
        assertEquals(3.5, a.mean(), 1e-9);
        Aggregate none = store.aggregate("a", Optional.empty(), T0.plusSeconds(100), T0.plusSeconds(200));
        assertEquals(0, none.count());
        assertTrue(Double.isNaN(none.mean()));
    }

    @Test
    public void aggregatesPerBucketAreAlignedAndSkipEmptyBuckets() throws Exception {
        temperatures("a", 10); // T0 is a whole minute: buckets of 4 s start at T0+0, +4, +8
        store.store(List.of(m("a", "", 40, 100.0)));
        List<Aggregate> buckets = store.aggregates("a", Optional.empty(), T0, T0.plusSeconds(60), 4);
        assertEquals(4, buckets.size());
        assertEquals(T0, buckets.get(0).from());
        assertEquals(T0.plusSeconds(4), buckets.get(0).to());
        assertEquals(4, buckets.get(0).count());
        assertEquals(1.5, buckets.get(0).mean(), 1e-9);
        assertEquals(2, buckets.get(2).count());
        assertEquals(8.0, buckets.get(2).min(), 0);
        assertEquals(9.0, buckets.get(2).max(), 0);
        assertEquals(T0.plusSeconds(40), buckets.get(3).from());
        assertEquals(100.0, buckets.get(3).mean(), 0);
    }

    @Test
    public void retentionByAgeDeletesWhatIsOlder() throws Exception {
        temperatures("a", 10);
        int pruned = new Retention(Duration.ofSeconds(5), 0).apply(store, T0.plusSeconds(9));
        assertEquals(4, pruned); // T0+0..3 are older than T0+4
        assertEquals(6, store.rows());
        assertEquals(4.0, store.measurements("a", Optional.empty(), T0, T0.plusSeconds(60), 100).get(0).value());
    }

    @Test
    public void retentionByRowsKeepsTheNewest() throws Exception {
        temperatures("a", 10);
        temperatures("b", 3);
        int pruned = new Retention(Duration.ZERO, 5).apply(store, T0.plusSeconds(9));
        assertEquals(5, store.rows());
        assertEquals(8, pruned);
        assertEquals(List.of("a"), store.thingIds());
        assertEquals(5.0, store.aggregate("a", Optional.empty(), T0, T0.plusSeconds(60)).min(), 0);
        // under the limit nothing goes
        assertEquals(0, new Retention(Duration.ZERO, 5).apply(store, T0.plusSeconds(9)));
    }

    @Test
    public void rowsAndBytesGrowWithTheData() throws Exception {
        assertEquals(0, store.rows());
        temperatures("a", 2000);
        assertEquals(2000, store.rows());
        assertTrue("bytes " + store.bytes(), store.bytes() > 0);
        assertEquals(List.of("a"), store.thingIds());
    }

    @Test
    public void heldNodesAreRecorded() throws Exception {
        NodeRecords records = new NodeRecords(db);
        BigDataNode node = new BigDataNode("vm-1", NodeRole.STORAGE, "bigdata-storage", "gw-1", T0, "rows high");
        records.add(node);
        records.add(new BigDataNode("vm-2", NodeRole.COMPUTE, "bigdata-compute", "gw-1", T0.plusSeconds(1), "q"));
        assertEquals(2, new NodeRecords(db).all().size());
        assertEquals(node, new NodeRecords(db).all().get(0));
        records.remove("vm-2");
        assertEquals(List.of(node), records.all());
    }
}
