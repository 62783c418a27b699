package org.betaas.service.bigdata.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.BigDataStatus;
import org.betaas.api.bigdata.NodeRole;
import org.betaas.api.things.Measurement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Big Data Manager without OSGi: stores and queries through a {@link MeasurementStore}, prunes by the
 * {@link Retention} and, on each {@link #tick()}, lets the {@link NodeScaler} decide on storage and compute nodes,
 * which the {@link NodeProvisioner} deploys and destroys.
 */
final class BigDataCore implements BigDataManager {

    private static final Logger LOG = LoggerFactory.getLogger(BigDataCore.class);
    static final int MAX_LIMIT = 100_000;
    static final long MAX_BUCKETS = 100_000;

    private final MeasurementStore store;
    private final NodeRecords records;
    private final String database;
    private final List<String> problems;
    private final Retention retention;
    private final NodeScaler scaler;
    private final String storageTemplate;
    private final String computeTemplate;
    private final NodeProvisioner provisioner;
    private final Clock clock;
    private final QueryMeter meter;
    private final List<BigDataNode> held = new CopyOnWriteArrayList<>();
    private final List<String> scalingProblems = new CopyOnWriteArrayList<>();
    /** Measurements a failed store lost (a full disk, a database gone), and the last failure: for the operator. */
    private final AtomicLong notStored = new AtomicLong();
    private volatile String lastNotStored;

    /**
     * @param store    the store, null when the database could not be opened ({@code problems} says why)
     * @param records  the held nodes' records, null likewise
     * @param database the database's URL without credentials
     */
    BigDataCore(MeasurementStore store, NodeRecords records, String database, List<String> problems,
                Retention retention, NodeScaler scaler, String storageTemplate, String computeTemplate,
                NodeProvisioner provisioner, Clock clock) {
        this.store = store;
        this.records = records;
        this.database = database;
        this.problems = List.copyOf(problems);
        this.retention = retention;
        this.scaler = scaler;
        this.storageTemplate = storageTemplate;
        this.computeTemplate = computeTemplate;
        this.provisioner = provisioner;
        this.clock = clock;
        this.meter = new QueryMeter(clock);
        if (records != null) {
            try {
                held.addAll(records.all());
            } catch (SQLException e) {
                LOG.warn("Big Data: the held nodes could not be read from {}: {}", database, e.getMessage());
            }
        }
    }

    private MeasurementStore store() throws BigDataException {
        if (store == null) {
            throw new BigDataException("The Big Data database is not available: " + String.join("; ", problems));
        }
        return store;
    }

    private static BigDataException failed(String what, SQLException e) {
        return new BigDataException(what + " failed in the Big Data database: " + e.getMessage(), e);
    }

    @Override
    public void store(List<Measurement> measurements) throws BigDataException {
        for (Measurement m : measurements) {
            if (m.thingId() == null || m.thingId().isBlank() || m.time() == null) {
                throw new BigDataException("A measurement without thing id or time cannot be stored: " + m);
            }
        }
        try {
            store().store(measurements);
        } catch (SQLException e) {
            notStored.addAndGet(measurements.size());
            lastNotStored = LocalTime.ofInstant(clock.instant(), clock.getZone()).truncatedTo(ChronoUnit.SECONDS)
                    + " (" + e.getMessage() + ")";
            throw failed("Storing " + measurements.size() + " measurements", e);
        }
    }

    private static void checkRange(String thingId, Instant from, Instant to) throws BigDataException {
        if (thingId == null || thingId.isBlank()) {
            throw new BigDataException("No thing id given: name one of betaas:thing-list");
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new BigDataException("The time range " + from + " .. " + to + " is empty: 'from' must be before 'to'");
        }
    }

    @Override
    public List<Measurement> measurements(String thingId, Optional<String> name, Instant from, Instant to, int limit)
            throws BigDataException {
        checkRange(thingId, from, to);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BigDataException("The limit " + limit + " is out of range: use 1-" + MAX_LIMIT);
        }
        meter.record();
        try {
            return store().measurements(thingId, name, from, to, limit);
        } catch (SQLException e) {
            throw failed("Reading the measurements of " + thingId, e);
        }
    }

    @Override
    public Aggregate aggregate(String thingId, Optional<String> name, Instant from, Instant to)
            throws BigDataException {
        checkRange(thingId, from, to);
        meter.record();
        try {
            return store().aggregate(thingId, name, from, to);
        } catch (SQLException e) {
            throw failed("Aggregating the measurements of " + thingId, e);
        }
    }

    @Override
    public List<Aggregate> aggregates(String thingId, Optional<String> name, Instant from, Instant to,
                                      Duration bucket) throws BigDataException {
        checkRange(thingId, from, to);
        if (bucket == null || bucket.toSeconds() < 1) {
            throw new BigDataException("The bucket " + bucket + " is too short: use one second or more");
        }
        if (Duration.between(from, to).toSeconds() / bucket.toSeconds() > MAX_BUCKETS) {
            throw new BigDataException("The range " + from + " .. " + to + " holds more than " + MAX_BUCKETS
                    + " buckets of " + bucket.toSeconds() + " s: use a longer bucket or a shorter range");
        }
        meter.record();
        try {
            return store().aggregates(thingId, name, from, to, bucket.toSeconds());
        } catch (SQLException e) {
            throw failed("Aggregating the measurements of " + thingId, e);
        }
    }

    @Override
    public List<String> thingIds() throws BigDataException {
        meter.record();
        try {
            return store().thingIds();
        } catch (SQLException e) {
            throw failed("Listing the things", e);
        }
    }

    @Override
    public BigDataStatus status() {
        long rows = -1;
        long bytes = -1;
        List<String> all = new ArrayList<>(problems);
        if (store != null) {
            try {
                rows = store.rows();
                bytes = store.bytes();
            } catch (SQLException e) {
                all.add("The Big Data database " + database + " cannot be read: " + e.getMessage());
            }
        }
        all.addAll(scalingProblems);
        long lost = notStored.get();
        if (lost > 0) {
            all.add(lost + " measurement(s) could not be stored since the start, the last at " + lastNotStored);
        }
        NodeScaler.Thresholds t = scaler.thresholds();
        return new BigDataStatus(database, rows, bytes, retention.maxAge(), retention.maxRows(), meter.perMinute(),
                t.storageRowsHigh(), t.storageBytesHigh(), t.queriesHigh(), t.releaseFraction(), storageTemplate,
                computeTemplate, held, all);
    }

    /** Prunes by the retention, then asks for or releases nodes as the thresholds say. */
    synchronized void tick() {
        if (store == null) {
            return;
        }
        Instant now = clock.instant();
        NodeScaler.Load load;
        try {
            int pruned = retention.apply(store, now);
            if (pruned > 0) {
                LOG.debug("Big Data: {} measurements pruned ({})", pruned, retention);
            }
            load = new NodeScaler.Load(store.rows(), store.bytes(), meter.perMinute());
        } catch (SQLException e) {
            LOG.warn("Big Data: pruning or measuring {} failed: {}", database, e.getMessage());
            return;
        }
        forgetVanished();
        for (NodeRole role : NodeRole.values()) {
            int count = (int) held.stream().filter(n -> n.role() == role).count();
            scaler.decide(role, load, count, now).ifPresent(step -> carryOut(step, now));
        }
    }

    private void forgetVanished() {
        for (BigDataNode node : held) {
            if (provisioner.exists(node).equals(Optional.of(false))) {
                LOG.info("Big Data: {} node {} is gone from the VM Manager: no longer held", name(node.role()),
                        node.vmId());
                forget(node);
            }
        }
    }

    private void forget(BigDataNode node) {
        held.remove(node);
        if (records != null) {
            try {
                records.remove(node.vmId());
            } catch (SQLException e) {
                LOG.warn("Big Data: node {} could not be removed from the records: {}", node.vmId(), e.getMessage());
            }
        }
    }

    private void carryOut(NodeScaler.Step step, Instant now) {
        NodeRole role = step.role();
        String template = role == NodeRole.STORAGE ? storageTemplate : computeTemplate;
        if (step instanceof NodeScaler.Step.Request) {
            try {
                BigDataNode node = provisioner.deploy(role, template, step.reason());
                held.add(node);
                if (records != null) {
                    records.add(node);
                }
                scaler.changed(role, now);
                clearScalingProblem(role);
                LOG.info("Big Data: {} node {} deployed at {} from template {}: {}", name(role), node.vmId(),
                        node.location(), template, step.reason());
            } catch (Exception e) {
                scaler.failed(role, now);
                setScalingProblem(role, "A " + name(role) + " node (template " + template + ") was asked for ("
                        + step.reason() + ") but could not be deployed: " + e.getMessage());
            }
        } else {
            BigDataNode newest = null;
            for (BigDataNode n : held) {
                if (n.role() == role && (newest == null || !n.since().isBefore(newest.since()))) {
                    newest = n;
                }
            }
            if (newest == null) {
                return;
            }
            try {
                provisioner.release(newest);
                forget(newest);
                scaler.changed(role, now);
                clearScalingProblem(role);
                LOG.info("Big Data: {} node {} released: {}", name(role), newest.vmId(), step.reason());
            } catch (Exception e) {
                scaler.failed(role, now);
                setScalingProblem(role, "The " + name(role) + " node " + newest.vmId() + " could not be released ("
                        + step.reason() + "): " + e.getMessage());
            }
        }
    }

    private void setScalingProblem(NodeRole role, String problem) {
        clearScalingProblem(role);
        scalingProblems.add(problem);
        LOG.warn("Big Data: {}", problem);
    }

    private void clearScalingProblem(NodeRole role) {
        String n = " " + name(role) + " node ";
        scalingProblems.removeIf(p -> p.contains(n));
    }

    private static String name(NodeRole role) {
        return role == NodeRole.STORAGE ? "storage" : "compute";
    }

    /** The nodes held now. */
    List<BigDataNode> held() {
        return List.copyOf(held);
    }
}
