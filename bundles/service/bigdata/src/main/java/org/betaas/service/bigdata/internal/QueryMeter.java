package org.betaas.service.bigdata.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** Counts queries over the last minute: the query load the compute threshold is compared with. */
final class QueryMeter {

    static final Duration WINDOW = Duration.ofMinutes(1);
    // bounds memory whatever the load: beyond it, the rate is at least this (far above any sensible threshold)
    private static final int MAX_KEPT = 1_000_000;

    private final Clock clock;
    private final Deque<Instant> times = new ArrayDeque<>();

    QueryMeter(Clock clock) {
        this.clock = clock;
    }

    synchronized void record() {
        Instant now = clock.instant();
        drop(now);
        if (times.size() >= MAX_KEPT) {
            times.removeFirst();
        }
        times.addLast(now);
    }

    synchronized double perMinute() {
        drop(clock.instant());
        return times.size();
    }

    private void drop(Instant now) {
        Instant oldest = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
    }
}
