package org.betaas.taas.resources.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.Test;

public class RegularSeriesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static ResourceHistoryStore.Sample at(long seconds, double value) {
        return new ResourceHistoryStore.Sample(T0.plusSeconds(seconds), value);
    }

    @Test
    public void samplesOnePerIntervalAreKeptInOrder() {
        assertArrayEquals(new double[] {1, 2, 3},
                RegularSeries.of(List.of(at(0, 1), at(60, 2), at(121, 3)), MINUTE, 100), 0);
    }

    @Test
    public void aGapBecomesNaNSlots() {
        double[] series = RegularSeries.of(List.of(at(0, 1), at(60, 2), at(240, 5)), MINUTE, 100);
        assertArrayEquals(new double[] {1, 2, Double.NaN, Double.NaN, 5}, series, 0);
    }

    @Test
    public void theNewestSlotsAreKeptWhenTheHistoryIsLonger() {
        double[] series = RegularSeries.of(List.of(at(0, 1), at(60, 2), at(120, 3), at(180, 4)), MINUTE, 2);
        assertArrayEquals(new double[] {3, 4}, series, 0);
    }

    @Test
    public void noSamplesGiveAnEmptySeries() {
        assertEquals(0, RegularSeries.of(List.of(), MINUTE, 10).length);
    }
}
