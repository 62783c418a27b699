package org.betaas.api.resources;

import java.util.List;

/**
 * A forecast of one series by Holt's linear method (double exponential smoothing, no seasonality).
 *
 * @param alpha     level smoothing parameter used, 0..1
 * @param beta      trend smoothing parameter used, 0..1
 * @param sse       sum of squared one-step errors over the fitted series
 * @param level     level at the end of the series
 * @param trend     trend (per step) at the end of the series
 * @param forecasts point forecasts for steps 1..h
 * @param lower     lower bound of the prediction interval for each step
 * @param upper     upper bound of the prediction interval for each step
 */
public record Forecast(double alpha, double beta, double sse, double level, double trend,
                       List<Double> forecasts, List<Double> lower, List<Double> upper) {

    public Forecast {
        forecasts = List.copyOf(forecasts);
        lower = List.copyOf(lower);
        upper = List.copyOf(upper);
    }

    /** Number of steps forecast. */
    public int horizon() {
        return forecasts.size();
    }

    /** The highest point forecast over the horizon (0 when there is none): the use placement counts. */
    public double peakForecast() {
        return peak(forecasts);
    }

    /** The highest upper bound of the prediction interval over the horizon (0 when there is none). */
    public double peakUpper() {
        return peak(upper);
    }

    private static double peak(List<Double> values) {
        double max = 0;
        for (Double v : values) {
            if (v != null && !v.isNaN()) {
                max = Math.max(max, v);
            }
        }
        return max;
    }
}
