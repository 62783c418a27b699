package org.betaas.adaptation.things.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.common.h2.ReopeningConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thing registry: things and last values in memory (adaptors report thousands of measurements a second),
 * written behind to H2 every flush interval and on close, loaded back on start. Reporting never waits for the
 * database nor for a subscriber.
 */
public final class H2ThingRegistry implements ThingRegistry, ThingSubscriptions, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2ThingRegistry.class);
    /** Metadata key under which a lost thing shows why. */
    public static final String LOST = "lost";

    private final Connection db;
    private final Map<String, Thing> things = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Measurement>> lastValues = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final List<SubscriberQueue> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService flusher;
    private final AtomicLong reports = new AtomicLong();
    /** Flush thread only. */
    private long failedFlushes;
    private long lastFailureLog;

    /**
     * @param db            an open connection, owned by the registry from now on
     * @param flushInterval milliseconds between writes to the database
     */
    public H2ThingRegistry(Connection db, long flushInterval) throws SQLException {
        this.db = db;
        createSchema();
        load();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-things-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, flushInterval, flushInterval, TimeUnit.MILLISECONDS);
    }

    /** Opens H2 in OSGi (without DriverManager, which does not see bundle class loaders), reopening it after a full disk. */
    public static Connection open(String jdbcUrl) throws SQLException {
        return ReopeningConnection.open(jdbcUrl); // a full disk does not break it for good
    }

    private void createSchema() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS thing (id VARCHAR(512) PRIMARY KEY, kind VARCHAR(16), "
                    + "type VARCHAR(256), unit VARCHAR(64), gateway VARCHAR(128), protocol VARCHAR(32), "
                    + "first_seen TIMESTAMP WITH TIME ZONE, last_seen TIMESTAMP WITH TIME ZONE, "
                    + "location VARCHAR(512), metadata VARCHAR(8192))");
            s.execute("CREATE TABLE IF NOT EXISTS last_value (thing_id VARCHAR(512), name VARCHAR(512), "
                    + "time TIMESTAMP WITH TIME ZONE, unit VARCHAR(64), vtype CHAR(1), v VARCHAR(8192), "
                    + "PRIMARY KEY (thing_id, name))");
        }
    }

    private void load() throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT id, kind, type, unit, gateway, protocol, first_seen, last_seen,"
                     + " location, metadata FROM thing")) {
            while (r.next()) {
                Thing t = new Thing(r.getString(1), ThingKind.valueOf(r.getString(2)), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6), instant(r, 7), instant(r, 8),
                        r.getString(9), metadata(r.getString(10)));
                things.put(t.id(), t);
            }
        }
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT thing_id, name, time, unit, vtype, v FROM last_value")) {
            while (r.next()) {
                Measurement m = new Measurement(r.getString(1), r.getString(2), instant(r, 3), r.getString(4),
                        value(r.getString(5), r.getString(6)));
                lastValues.computeIfAbsent(m.thingId(), k -> new ConcurrentHashMap<>()).put(m.name(), m);
            }
        }
        LOG.info("Thing registry: {} thing(s) loaded", things.size());
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp ts = r.getTimestamp(column);
        return ts == null ? Instant.EPOCH : ts.toInstant();
    }

    @Override
    public List<Thing> things() {
        List<Thing> all = new ArrayList<>(things.values());
        all.sort(Comparator.comparing(Thing::id));
        return all;
    }

    @Override
    public Optional<Thing> find(String thingId) {
        return Optional.ofNullable(things.get(thingId));
    }

    @Override
    public List<Measurement> lastValues(String thingId) {
        Map<String, Measurement> values = lastValues.get(thingId);
        if (values == null) {
            return List.of();
        }
        List<Measurement> list = new ArrayList<>(values.values());
        list.sort(Comparator.comparing(Measurement::name));
        return list;
    }

    @Override
    public void report(Thing thing, List<Measurement> measurements) {
        reports.incrementAndGet();
        Thing merged = things.compute(thing.id(), (id, old) -> {
            if (old == null) {
                LOG.info("New thing {} ({} {}, over {})", id, thing.kind(), thing.type(), thing.protocol());
                return withoutLost(thing);
            }
            Instant first = old.firstSeen().isBefore(thing.firstSeen()) ? old.firstSeen() : thing.firstSeen();
            Instant last = old.lastSeen().isAfter(thing.lastSeen()) ? old.lastSeen() : thing.lastSeen();
            Map<String, String> metadata = old.metadata();
            if (metadata.containsKey(LOST) || !metadata.entrySet().containsAll(thing.metadata().entrySet())) {
                metadata = new HashMap<>(old.metadata());
                metadata.putAll(thing.metadata());
                metadata.remove(LOST);
            }
            return new Thing(id, thing.kind(), thing.type().isEmpty() ? old.type() : thing.type(),
                    thing.unit().isEmpty() ? old.unit() : thing.unit(), thing.gatewayId(), thing.protocol(), first,
                    last, thing.location().isEmpty() ? old.location() : thing.location(), metadata);
        });
        if (!measurements.isEmpty()) {
            Map<String, Measurement> values = lastValues.computeIfAbsent(thing.id(), k -> new ConcurrentHashMap<>());
            for (Measurement m : measurements) {
                values.merge(m.name(), m, (a, b) -> b.time().isBefore(a.time()) ? a : b);
            }
        }
        dirty.add(thing.id());
        for (SubscriberQueue s : subscribers) {
            if (s.wants(merged)) {
                s.offer(merged, measurements);
            }
        }
    }

    private static Thing withoutLost(Thing t) {
        if (!t.metadata().containsKey(LOST)) {
            return t;
        }
        Map<String, String> metadata = new HashMap<>(t.metadata());
        metadata.remove(LOST);
        return new Thing(t.id(), t.kind(), t.type(), t.unit(), t.gatewayId(), t.protocol(), t.firstSeen(),
                t.lastSeen(), t.location(), metadata);
    }

    @Override
    public void lost(String thingId, String reason) {
        Thing t = things.computeIfPresent(thingId, (id, old) -> {
            Map<String, String> metadata = new HashMap<>(old.metadata());
            metadata.put(LOST, reason == null || reason.isBlank() ? "out of reach" : reason);
            return new Thing(id, old.kind(), old.type(), old.unit(), old.gatewayId(), old.protocol(),
                    old.firstSeen(), old.lastSeen(), old.location(), metadata);
        });
        if (t != null) {
            LOG.info("Thing {} lost: {}", thingId, t.metadata().get(LOST));
            dirty.add(thingId);
        }
    }

    @Override
    public Subscription subscribe(String subscriber, ThingFilter filter, int queueCapacity,
                                  MeasurementListener listener) {
        SubscriberQueue s = new SubscriberQueue(subscriber, filter, queueCapacity, listener, subscribers::remove);
        subscribers.add(s);
        return s;
    }

    @Override
    public List<SubscriberStats> subscriberStats() {
        return subscribers.stream().map(SubscriberQueue::stats).toList();
    }

    /** Reports received since start. */
    public long reports() {
        return reports.get();
    }

    /**
     * The flush thread's write: a failure is logged once, then once a minute while it lasts (a full disk fails every
     * flush, every second), and the first write after it says so.
     */
    private void flushQuietly() {
        try {
            flush();
            if (failedFlushes > 0) {
                LOG.info("Thing registry: writing to the database again, after {} failed attempt(s)", failedFlushes);
                failedFlushes = 0;
            }
        } catch (SQLException | RuntimeException e) {
            long now = System.nanoTime();
            if (failedFlushes++ == 0 || now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
                lastFailureLog = now;
                LOG.warn("Thing registry: could not write to the database ({} attempt(s) so far; retried every flush,"
                        + " and the things and values stay in memory meanwhile): {}", failedFlushes, e.toString());
            }
        }
    }

    /** Writes what changed since the last flush. */
    public synchronized void flush() throws SQLException {
        if (dirty.isEmpty()) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>(dirty);
        dirty.removeAll(ids);
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement thing = db.prepareStatement("MERGE INTO thing (id, kind, type, unit, gateway, "
                + "protocol, first_seen, last_seen, location, metadata) KEY (id) VALUES (?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement value = db.prepareStatement("MERGE INTO last_value (thing_id, name, time, unit, "
                     + "vtype, v) KEY (thing_id, name) VALUES (?,?,?,?,?,?)")) {
            for (String id : ids) {
                Thing t = things.get(id);
                if (t == null) {
                    continue;
                }
                thing.setString(1, t.id());
                thing.setString(2, t.kind().name());
                thing.setString(3, t.type());
                thing.setString(4, t.unit());
                thing.setString(5, t.gatewayId());
                thing.setString(6, t.protocol());
                thing.setTimestamp(7, Timestamp.from(t.firstSeen()));
                thing.setTimestamp(8, Timestamp.from(t.lastSeen()));
                thing.setString(9, t.location());
                thing.setString(10, metadata(t.metadata()));
                thing.addBatch();
                for (Measurement m : lastValues.getOrDefault(id, Map.of()).values()) {
                    value.setString(1, m.thingId());
                    value.setString(2, m.name());
                    value.setTimestamp(3, Timestamp.from(m.time()));
                    value.setString(4, m.unit());
                    value.setString(5, vtype(m.value()));
                    value.setString(6, String.valueOf(m.value()));
                    value.addBatch();
                }
            }
            thing.executeBatch();
            value.executeBatch();
            db.commit();
        } catch (SQLException e) {
            dirty.addAll(ids); // first: the rollback fails too when H2 closed the database
            try {
                db.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    private static String vtype(Object v) {
        if (v instanceof Boolean) {
            return "b";
        }
        if (v instanceof Number) {
            return "d";
        }
        return "s";
    }

    private static Object value(String vtype, String v) {
        return switch (vtype) {
            case "b" -> Boolean.valueOf(v);
            case "d" -> Double.valueOf(v);
            default -> v;
        };
    }

    private static String metadata(Map<String, String> metadata) {
        Properties p = new Properties();
        p.putAll(metadata);
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    private static Map<String, String> metadata(String stored) {
        Map<String, String> m = new TreeMap<>();
        if (stored == null || stored.isEmpty()) {
            return m;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(stored));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.forEach((k, v) -> m.put((String) k, (String) v));
        return m;
    }

    /**
     * Writes what is left and closes the database on the flush thread: H2 closes a database whose file I/O is
     * interrupted, so the caller's thread (whatever its interrupt state) never touches the file.
     */
    @Override
    public void close() {
        subscribers.forEach(SubscriberQueue::close);
        try {
            flusher.submit(() -> {
                try {
                    flush();
                } catch (SQLException e) {
                    LOG.warn("Thing registry: last write failed: {}", e.toString());
                }
                try {
                    db.close();
                } catch (SQLException e) {
                    LOG.debug("closing the database", e);
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Thing registry: interrupted while writing the last changes");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Thing registry: last write failed: {}", e.toString());
        } finally {
            flusher.shutdown();
        }
    }
}
