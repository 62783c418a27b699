package org.betaas.api.resources;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.Test;

public class ForecastTest {

    private static Forecast forecast(List<Double> points, List<Double> upper) {
        return new Forecast(0.5, 0.1, 0, 0, 0, points, points, upper);
    }

    @Test
    public void thePeaksAreTheHighestPointForecastAndUpperBoundOverTheHorizon() {
        Forecast f = forecast(List.of(0.2, 0.6, 0.4), List.of(0.3, 0.7, 0.9));
        assertEquals(0.6, f.peakForecast(), 0);
        assertEquals(0.9, f.peakUpper(), 0);
    }

    @Test
    public void missingValuesAreSkippedAndNoForecastCountsAsNothingUsed() {
        Forecast f = forecast(Arrays.asList(Double.NaN, 0.5), Arrays.asList(0.8, Double.NaN));
        assertEquals(0.5, f.peakForecast(), 0);
        assertEquals(0.8, f.peakUpper(), 0);
        assertEquals(0, forecast(List.of(), List.of()).peakForecast(), 0);
    }
}
