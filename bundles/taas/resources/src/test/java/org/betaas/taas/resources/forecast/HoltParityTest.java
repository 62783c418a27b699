package org.betaas.taas.resources.forecast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.betaas.api.resources.Forecast;
import org.junit.Test;

/** Parity with R's HoltWinters(x, gamma = FALSE) on every window of holt-reference.csv. */
public class HoltParityTest {

    private static final double FIXED_TOLERANCE = 1e-9;
    private static final double SSE_SLACK = 1e-6;

    @Test
    public void theReferenceHasWindowsOfEveryTrace() {
        List<HoltReference.Row> rows = HoltReference.rows();
        assertTrue("only " + rows.size() + " reference windows", rows.size() >= 30);
        for (HoltReference.Row row : rows) {
            assertEquals(row.toString(), row.n(), row.window().length);
        }
    }

    @Test
    public void withFixedAlphaAndBetaLevelTrendSseAndForecastsEqualR() {
        HoltForecaster fixed = HoltForecaster.fixed(0.5, 0.1);
        for (HoltReference.Row row : HoltReference.rows()) {
            Forecast f = fixed.forecast(row.window(), 12);
            assertRelative(row + " level", row.get("fixed_level"), f.level());
            assertRelative(row + " trend", row.get("fixed_trend"), f.trend());
            assertRelative(row + " sse", row.get("fixed_sse"), f.sse());
            for (int h = 1; h <= 12; h++) {
                assertRelative(row + " f" + h, row.get("fixed_f" + h), f.forecasts().get(h - 1));
            }
        }
    }

    @Test
    public void theFittedSseIsNeverWorseThanRs() {
        HoltForecaster fitted = new HoltForecaster();
        double worst = 0;
        double best = Double.POSITIVE_INFINITY;
        String worstRow = "";
        for (HoltReference.Row row : HoltReference.rows()) {
            Forecast f = fitted.forecast(row.window(), 12);
            // a constant window has SSE 0 in R and here
            double ratio = row.get("hw_sse") == 0 && f.sse() == 0 ? 1 : f.sse() / row.get("hw_sse");
            assertTrue(row + ": alpha " + f.alpha(), f.alpha() >= 0 && f.alpha() <= 1);
            assertTrue(row + ": beta " + f.beta(), f.beta() >= 0 && f.beta() <= 1);
            assertTrue(row + ": SSE " + f.sse() + " > R's " + row.get("hw_sse") + " (ratio " + ratio + ")",
                    f.sse() <= row.get("hw_sse") * (1 + SSE_SLACK));
            best = Math.min(best, ratio);
            if (ratio > worst) {
                worst = ratio;
                worstRow = row.toString();
            }
        }
        System.out.printf("Holt parity: SSE / R's hw_sse - 1: max %.3e (%s), min %.3e%n", worst - 1, worstRow, best - 1);
    }

    @Test
    public void theFittedForecastsAreThoseOfTheFittedParameters() {
        HoltReference.Row row = HoltReference.rows().get(0);
        Forecast fitted = new HoltForecaster().forecast(row.window(), 12);
        Forecast again = HoltForecaster.fixed(fitted.alpha(), fitted.beta()).forecast(row.window(), 12);
        assertEquals(fitted.forecasts(), again.forecasts());
        assertEquals(fitted.sse(), again.sse(), 0);
    }

    private static void assertRelative(String what, double expected, double actual) {
        double tolerance = FIXED_TOLERANCE * Math.abs(expected);
        assertEquals(what, expected, actual, tolerance);
    }
}
