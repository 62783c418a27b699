package org.betaas.service.manager.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/** The measured rate of each thing: arrivals within a sliding window, known once three have been seen. */
public final class RateMeter {

    private final Duration window;
    private final Map<String, Deque<Instant>> arrivals = new ConcurrentHashMap<>();

    public RateMeter(Duration window) {
        this.window = window;
    }

    public void arrived(String thingId, Instant at) {
        Deque<Instant> d = arrivals.computeIfAbsent(thingId, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(at);
            trim(d, at);
        }
    }

    /** Measurements a minute over the window, empty while fewer than three arrived. */
    public OptionalDouble perMinute(String thingId, Instant now) {
        Deque<Instant> d = arrivals.get(thingId);
        if (d == null) {
            return OptionalDouble.empty();
        }
        synchronized (d) {
            trim(d, now);
            if (d.size() < 3) {
                return OptionalDouble.empty();
            }
            double minutes = Duration.between(d.peekFirst(), d.peekLast()).toMillis() / 60_000.0;
            return minutes <= 0 ? OptionalDouble.empty() : OptionalDouble.of((d.size() - 1) / minutes);
        }
    }

    private void trim(Deque<Instant> d, Instant now) {
        Instant oldest = now.minus(window);
        while (!d.isEmpty() && d.peekFirst().isBefore(oldest)) {
            d.removeFirst();
        }
        while (d.size() > 1000) {
            d.removeFirst();
        }
    }
}
