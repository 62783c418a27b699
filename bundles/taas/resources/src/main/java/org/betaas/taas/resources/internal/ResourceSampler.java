package org.betaas.taas.resources.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.Forecaster;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.resources.VmReservation;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampling, bounded history and periodic refit behind {@link ResourceHistoryComponent}, without OSGi: one
 * {@link #sample()} per interval appends a snapshot to memory and to the store. Holt's α and β are fitted when
 * {@code refit} has elapsed since the last fit, not on every sample; in between, each forecast asked for after a new
 * sample runs the Holt filter with the fitted α and β over the history up to that sample, so that a forecast never
 * ignores what was measured since the fit (a linear pass: 1.7 µs against 0.65 ms for a fit on 288 points,
 * benchmarks/README.md).
 */
final class ResourceSampler {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceSampler.class);

    private final ResourceMonitor monitor;
    private final ResourceHistoryStore store;
    private final ResourceSettings settings;
    private final Forecaster forecaster;
    private final Clock clock;
    private final Map<ResourceKind, Deque<ResourceHistoryStore.Sample>> history = new EnumMap<>(ResourceKind.class);
    private final Map<ResourceKind, Forecast> forecasts = new EnumMap<>(ResourceKind.class);
    private final Map<VmReservation, Deque<ResourceHistoryStore.Sample>> reserved = new EnumMap<>(VmReservation.class);
    private final Supplier<ReservedAmounts> reservations;
    private Instant fittedAt = Instant.MIN;
    /**
     * While a resource's history holds fewer samples than this, α and β are fitted again with every new sample: a
     * fit on a few points is cheap, and its parameters (α = 1, β = 0 for fewer than 3 points, which would keep the
     * first difference as the trend) must not be carried for a whole refit interval.
     */
    static final int FIT_EVERY_SAMPLE_BELOW = 30;
    /** Samples taken so far, and the count when the forecasts were last computed. */
    private long sampled;
    private long forecastsAt = -1;
    private ResourceSnapshot latest;
    private boolean storeFailed;

    /**
     * @param store where samples persist; null to keep them in memory only (the database could not be opened)
     */
    ResourceSampler(ResourceMonitor monitor, ResourceHistoryStore store, ResourceSettings settings,
                    Forecaster forecaster, Clock clock) {
        this(monitor, store, settings, forecaster, clock, () -> null);
    }

    /**
     * @param store        where samples persist; null to keep them in memory only
     * @param reservations what this gateway's VMs reserve now, sampled with the rest; null from it (no VM Manager)
     *                     leaves a gap
     */
    ResourceSampler(ResourceMonitor monitor, ResourceHistoryStore store, ResourceSettings settings,
                    Forecaster forecaster, Clock clock, Supplier<ReservedAmounts> reservations) {
        this.reservations = reservations;
        this.monitor = monitor;
        this.store = store;
        this.settings = settings;
        this.forecaster = forecaster;
        this.clock = clock;
    }

    /** Loads the stored history that is still within the history length (after a restart). */
    synchronized int load() {
        if (store == null) {
            return 0;
        }
        Instant since = oldestKept();
        int count = 0;
        try {
            store.prune(since);
            for (Map.Entry<ResourceKind, List<ResourceHistoryStore.Sample>> e : store.load(since).entrySet()) {
                Deque<ResourceHistoryStore.Sample> samples = samples(e.getKey());
                samples.addAll(e.getValue());
                count += e.getValue().size();
            }
            for (Map.Entry<VmReservation, List<ResourceHistoryStore.Sample>> e
                    : store.loadReservations(since).entrySet()) {
                reserved.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>()).addAll(e.getValue());
                count += e.getValue().size();
            }
        } catch (SQLException e) {
            LOG.warn("Cannot read the stored resource history: {}", e.getMessage());
        }
        return count;
    }

    /** Takes one sample of every resource this gateway has, stores it and drops what is too old. */
    synchronized void sample() {
        ResourceSnapshot snapshot = monitor.current();
        latest = snapshot;
        sampled++;
        Instant now = clock.instant();
        Map<ResourceKind, Double> values = new EnumMap<>(ResourceKind.class);
        for (ResourceKind kind : ResourceKind.values()) {
            double v = snapshot.used(kind);
            if (Double.isFinite(v)) {
                values.put(kind, v);
                samples(kind).addLast(new ResourceHistoryStore.Sample(now, v));
            }
        }
        Map<VmReservation, Double> reservedNow = new EnumMap<>(VmReservation.class);
        ReservedAmounts amounts = reservedNow();
        if (amounts != null) {
            for (VmReservation r : VmReservation.values()) {
                reservedNow.put(r, amounts.of(r));
                reserved.computeIfAbsent(r, k -> new ArrayDeque<>()).addLast(new ResourceHistoryStore.Sample(now,
                        amounts.of(r)));
            }
        }
        Instant oldest = oldestKept();
        for (Deque<ResourceHistoryStore.Sample> samples : history.values()) {
            while (!samples.isEmpty() && samples.peekFirst().takenAt().isBefore(oldest)) {
                samples.removeFirst();
            }
        }
        for (Deque<ResourceHistoryStore.Sample> samples : reserved.values()) {
            while (!samples.isEmpty() && samples.peekFirst().takenAt().isBefore(oldest)) {
                samples.removeFirst();
            }
        }
        if (store != null) {
            try {
                store.append(now, values);
                store.append(now, reservedNow);
                if (storeFailed) {
                    LOG.info("Resource history is stored again");
                    storeFailed = false;
                }
            } catch (SQLException e) {
                if (!storeFailed) {
                    LOG.warn("Cannot store resource samples (kept in memory only): {}", e.getMessage());
                    storeFailed = true;
                }
            }
        }
    }

    private ReservedAmounts reservedNow() {
        try {
            return reservations.get();
        } catch (RuntimeException e) {
            LOG.debug("VM reservations unknown this sample: {}", e.toString());
            return null; // a gap, like a missed sample
        }
    }

    /** What the VMs reserved, one sample per interval, oldest first; NaN where it was unknown. */
    synchronized double[] series(VmReservation r) {
        Deque<ResourceHistoryStore.Sample> samples = reserved.get(r);
        if (samples == null) {
            return new double[0];
        }
        return RegularSeries.of(new ArrayList<>(samples), settings.interval(), settings.slots());
    }

    /**
     * Refits every forecast when the refit interval has elapsed since the last fit (or the history is still short);
     * otherwise brings the forecasts up to the latest sample with the fitted α and β.
     *
     * @return whether α and β were fitted
     */
    synchronized boolean refitIfDue() {
        Instant now = clock.instant();
        boolean intervalDue = Duration.between(fittedAt, now).compareTo(settings.refit()) >= 0;
        boolean shortHistory = forecastsAt != sampled && shortestHistory() < FIT_EVERY_SAMPLE_BELOW;
        if (!forecasts.isEmpty() && !intervalDue && !shortHistory) {
            track();
            return false;
        }
        for (ResourceKind kind : ResourceKind.values()) {
            forecasts.put(kind, withinCapacity(kind, forecaster.forecast(series(kind), settings.horizon())));
        }
        fittedAt = now;
        forecastsAt = sampled;
        if (store != null) {
            try {
                store.prune(oldestKept());
            } catch (SQLException e) {
                LOG.warn("Cannot prune the stored resource history: {}", e.getMessage());
            }
        }
        return true;
    }

    /** Runs the filter with the last fitted α and β over the history, when samples came since the forecasts. */
    private void track() {
        if (forecastsAt == sampled) {
            return;
        }
        for (ResourceKind kind : ResourceKind.values()) {
            Forecast fitted = forecasts.get(kind);
            double[] series = series(kind);
            if (fitted != null && series.length > 0) {
                Forecaster filter = HoltForecaster.fixed(fitted.alpha(), fitted.beta());
                forecasts.put(kind, withinCapacity(kind, filter.forecast(series, settings.horizon())));
            }
        }
        forecastsAt = sampled;
    }

    /**
     * The fewest samples present in the history of a resource this gateway has (a battery may be absent): short
     * after a first start, and again after a restart that followed nearly a whole history length of downtime.
     */
    private int shortestHistory() {
        int shortest = Integer.MAX_VALUE;
        for (ResourceKind kind : ResourceKind.values()) {
            double[] series = series(kind);
            if (series.length > 0) {
                int present = 0;
                for (double v : series) {
                    present += Double.isNaN(v) ? 0 : 1;
                }
                shortest = Math.min(shortest, present);
            }
        }
        return shortest == Integer.MAX_VALUE ? 0 : shortest;
    }

    synchronized double[] series(ResourceKind kind) {
        Deque<ResourceHistoryStore.Sample> samples = history.get(kind);
        if (samples == null) {
            return new double[0];
        }
        return RegularSeries.of(new ArrayList<>(samples), settings.interval(), settings.slots());
    }

    /**
     * The forecast from the latest sample: fitted now when none was made yet or the last fit is older than the refit
     * interval, else filtered with the fitted α and β.
     */
    synchronized Forecast forecast(ResourceKind kind) {
        refitIfDue();
        return forecasts.get(kind);
    }

    /**
     * Holt extrapolates a trend without bound (a short history of a rising CPU load forecasts 200 %): forecasts and
     * interval bounds are clipped to what the resource can be, 0 to its capacity. Level and trend stay as fitted.
     */
    private Forecast withinCapacity(ResourceKind kind, Forecast f) {
        double capacity = switch (kind) {
            case CPU -> 1;
            case MEMORY -> latest == null ? Double.POSITIVE_INFINITY : latest.memoryTotal();
            case STORAGE -> latest == null ? Double.POSITIVE_INFINITY : latest.storageTotal();
            case BATTERY -> 100;
        };
        if (capacity <= 0) {
            capacity = Double.POSITIVE_INFINITY; // unknown total (the monitor could not read it)
        }
        double max = capacity;
        java.util.function.UnaryOperator<List<Double>> clip =
                values -> values.stream().map(v -> Math.max(0, Math.min(max, v))).toList();
        return new Forecast(f.alpha(), f.beta(), f.sse(), f.level(), f.trend(), clip.apply(f.forecasts()),
                clip.apply(f.lower()), clip.apply(f.upper()));
    }

    private Deque<ResourceHistoryStore.Sample> samples(ResourceKind kind) {
        return history.computeIfAbsent(kind, k -> new ArrayDeque<>());
    }

    private Instant oldestKept() {
        return clock.instant().minus(settings.history());
    }
}
