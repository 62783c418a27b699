package org.betaas.taas.resources.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Puts timestamped samples on the regular grid a forecaster expects: one slot per sampling interval, ending at
 * the newest sample, NaN where no sample was taken (the gateway was down or a sampling failed).
 */
final class RegularSeries {

    private RegularSeries() {
    }

    /**
     * @param samples  oldest first
     * @param interval the sampling interval
     * @param maxSlots the most slots to return (the history length over the interval): older samples are dropped
     */
    static double[] of(List<ResourceHistoryStore.Sample> samples, Duration interval, int maxSlots) {
        if (samples.isEmpty() || maxSlots <= 0) {
            return new double[0];
        }
        long step = Math.max(1, interval.toMillis());
        Instant newest = samples.get(samples.size() - 1).takenAt();
        long oldestOffset = Duration.between(samples.get(0).takenAt(), newest).toMillis();
        int slots = (int) Math.min(maxSlots, Math.round((double) oldestOffset / step) + 1);
        double[] series = new double[slots];
        Arrays.fill(series, Double.NaN);
        for (ResourceHistoryStore.Sample s : samples) {
            long back = Math.round((double) Duration.between(s.takenAt(), newest).toMillis() / step);
            int slot = slots - 1 - (int) Math.min(back, Integer.MAX_VALUE);
            if (slot >= 0 && slot < slots) {
                // two samples in one slot (interval shortened at run time): the later one wins
                series[slot] = s.value();
            }
        }
        return series;
    }
}
