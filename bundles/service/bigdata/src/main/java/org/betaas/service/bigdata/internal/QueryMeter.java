package org.betaas.service.bigdata.internal;

import java.time.Clock;

/**
 * Counts queries over the last minute (the query load the compute threshold is compared with) in one counter per
 * second: constant memory whatever the load.
 */
final class QueryMeter {

    private static final int SECONDS = 60;

    private final Clock clock;
    private final long[] counts = new long[SECONDS];
    private final long[] secondOf = new long[SECONDS];

    QueryMeter(Clock clock) {
        this.clock = clock;
    }

    synchronized void record() {
        long now = clock.instant().getEpochSecond();
        int slot = (int) Math.floorMod(now, (long) SECONDS);
        if (secondOf[slot] != now) {
            secondOf[slot] = now;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Queries in the 60 seconds up to now (the current second included). */
    synchronized double perMinute() {
        long now = clock.instant().getEpochSecond();
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (secondOf[i] > now - SECONDS && secondOf[i] <= now) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
