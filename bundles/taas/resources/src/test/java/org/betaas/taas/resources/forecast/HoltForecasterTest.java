package org.betaas.taas.resources.forecast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.betaas.api.resources.Forecast;
import org.junit.Test;

public class HoltForecasterTest {

    private final HoltForecaster fitted = new HoltForecaster();

    @Test
    public void anEmptySeriesGivesAFlatZeroForecast() {
        Forecast f = fitted.forecast(new double[0], 3);
        assertNoNaN(f);
        assertEquals(List.of(0.0, 0.0, 0.0), f.forecasts());
    }

    @Test
    public void aShortSeriesGivesAFlatForecastOfItsLastValue() {
        for (double[] series : new double[][] {{4}, {3, 5}, {Double.NaN, 2, Double.NaN, 7}}) {
            Forecast f = fitted.forecast(series, 4);
            assertNoNaN(f);
            double last = series[series.length - 1];
            if (Double.isNaN(last)) {
                last = 7;
            }
            for (int h = 0; h < 4; h++) {
                assertEquals(last, f.forecasts().get(h), 0);
                assertEquals(last, f.lower().get(h), 0);
                assertEquals(last, f.upper().get(h), 0);
            }
            assertEquals(0, f.trend(), 0);
        }
    }

    @Test
    public void aConstantSeriesGivesAFlatForecastWithNoError() {
        double[] series = new double[50];
        java.util.Arrays.fill(series, 0.42);
        Forecast f = fitted.forecast(series, 5);
        assertNoNaN(f);
        assertEquals(0, f.sse(), 0);
        assertEquals(0, f.trend(), 0);
        for (int h = 0; h < 5; h++) {
            assertEquals(0.42, f.forecasts().get(h), 1e-15);
            assertEquals(0.42, f.lower().get(h), 1e-15);
            assertEquals(0.42, f.upper().get(h), 1e-15);
        }
    }

    @Test
    public void aStraightLineIsContinued() {
        double[] series = new double[30];
        for (int i = 0; i < series.length; i++) {
            series[i] = 2 + 0.5 * i;
        }
        Forecast f = fitted.forecast(series, 3);
        assertEquals(0, f.sse(), 1e-20);
        assertEquals(2 + 0.5 * 30, f.forecasts().get(0), 1e-9);
        assertEquals(2 + 0.5 * 32, f.forecasts().get(2), 1e-9);
    }

    @Test
    public void missingSamplesAreFilledByTheOneStepPredictionAndNeverGiveNaN() {
        double[] series = HoltReference.trace("ec2_cpu_utilization_24ae8d.csv");
        double[] window = java.util.Arrays.copyOfRange(series, 0, 288);
        double[] gappy = window.clone();
        gappy[0] = Double.NaN;
        for (int i = 10; i < 288; i += 7) {
            gappy[i] = Double.NaN;
        }
        gappy[287] = Double.POSITIVE_INFINITY;
        Forecast f = fitted.forecast(gappy, 12);
        assertNoNaN(f);
        Forecast full = fitted.forecast(window, 12);
        // fewer errors counted: the gappy fit cannot have a larger SSE than the full one at its own optimum
        assertTrue(f.sse() <= HoltForecaster.fixed(full.alpha(), full.beta()).forecast(gappy, 1).sse() + 1e-12);
    }

    @Test
    public void aMissingSampleMovesTheLevelOnByTheTrend() {
        // l = 2, b = 1 after (1, 2); 3 is missing: l = 3, b = 1; then 4 is predicted exactly
        Forecast f = HoltForecaster.fixed(0.5, 0.5).forecast(new double[] {1, 2, Double.NaN, 4}, 1);
        assertEquals(0, f.sse(), 0);
        assertEquals(4, f.level(), 0);
        assertEquals(5, f.forecasts().get(0), 0);
    }

    @Test
    public void thePredictionIntervalFollowsRsFormula() {
        double[] series = HoltReference.rows().get(0).window();
        double alpha = 0.5;
        double beta = 0.1;
        Forecast f = HoltForecaster.fixed(alpha, beta).forecast(series, 4);
        // one-step errors by hand
        double level = series[1];
        double trend = series[1] - series[0];
        double[] errors = new double[series.length - 2];
        for (int t = 2; t < series.length; t++) {
            errors[t - 2] = series[t] - (level + trend);
            double newLevel = alpha * series[t] + (1 - alpha) * (level + trend);
            trend = beta * (newLevel - level) + (1 - beta) * trend;
            level = newLevel;
        }
        double mean = java.util.Arrays.stream(errors).average().orElseThrow();
        double variance = java.util.Arrays.stream(errors).map(e -> (e - mean) * (e - mean)).sum() / (errors.length - 1);
        double z = 1.959963984540054;
        double sum = 1;
        for (int h = 1; h <= 4; h++) {
            if (h > 1) {
                double psi = alpha * (1 + (h - 1) * beta);
                sum += psi * psi;
            }
            double half = z * Math.sqrt(variance * sum);
            assertEquals("upper " + h, f.forecasts().get(h - 1) + half, f.upper().get(h - 1), 1e-12);
            assertEquals("lower " + h, f.forecasts().get(h - 1) - half, f.lower().get(h - 1), 1e-12);
        }
        assertTrue(f.upper().get(3) - f.lower().get(3) > f.upper().get(0) - f.lower().get(0));
    }

    @Test
    public void threeSamplesGiveAnIntervalOfTheirOneErrorAndRsStartingParameters() {
        // l = 2, b = 1, predicted 3, observed 5: one error of 2, an SSE flat in alpha and beta
        Forecast f = fitted.forecast(new double[] {1, 2, 5}, 1);
        assertEquals(4, f.sse(), 0);
        assertEquals(0.3, f.alpha(), 0);
        assertEquals(0.1, f.beta(), 0);
        double half = f.upper().get(0) - f.forecasts().get(0);
        assertEquals(1.959963984540054 * 2, half, 1e-9);
    }

    @Test
    public void aZeroHorizonGivesNoForecasts() {
        Forecast f = fitted.forecast(new double[] {1, 2, 3, 5}, 0);
        assertEquals(0, f.horizon());
        assertNoNaN(f);
    }

    @Test(expected = IllegalArgumentException.class)
    public void alphaOutsideTheUnitIntervalIsRefused() {
        HoltForecaster.fixed(1.5, 0.1);
    }

    @Test(expected = IllegalArgumentException.class)
    public void aNegativeHorizonIsRefused() {
        fitted.forecast(new double[] {1, 2, 3}, -1);
    }

    static void assertNoNaN(Forecast f) {
        assertFalse(f.toString(), Double.isNaN(f.alpha()) || Double.isNaN(f.beta()) || Double.isNaN(f.sse())
                || Double.isNaN(f.level()) || Double.isNaN(f.trend()));
        for (List<Double> values : List.of(f.forecasts(), f.lower(), f.upper())) {
            for (double v : values) {
                assertFalse(f.toString(), Double.isNaN(v));
            }
        }
    }
}
