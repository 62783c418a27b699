package org.betaas.api.resources;

/** Forecasts a regularly sampled series, e.g. a gateway's CPU load history. */
public interface Forecaster {

    /**
     * Fits the model to {@code series} (oldest first; NaN marks a missing sample) and forecasts {@code horizon}
     * steps ahead. Never returns NaN: short or constant series give a flat forecast of their last value.
     */
    Forecast forecast(double[] series, int horizon);
}
