package org.betaas.benchmarks.placement;

import java.util.Collections;

import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.Forecaster;

/** Forecasts the last present value for every step, with no interval: the ablation of Holt's method. */
final class LastValueForecaster implements Forecaster {

    @Override
    public Forecast forecast(double[] series, int horizon) {
        double last = 0;
        for (int i = series.length - 1; i >= 0; i--) {
            if (!Double.isNaN(series[i])) {
                last = series[i];
                break;
            }
        }
        var values = Collections.nCopies(horizon, last);
        return new Forecast(1, 0, 0, last, 0, values, values, values);
    }
}
