package org.betaas.api.resources;

import java.time.Duration;

/**
 * This gateway's sampled resource use over the recent past (persisted, so available right after a reboot),
 * and its Holt forecast, refitted periodically rather than on every sample.
 */
public interface ResourceHistory {

    /** The sampling interval. */
    Duration interval();

    /** Samples of one resource, oldest first, one per interval; NaN marks a missed sample. */
    double[] series(ResourceKind kind);

    /**
     * What this gateway's VMs reserved, oldest first, one sample per interval (the same slots as
     * {@link #series(ResourceKind)}); NaN where it was unknown (no VM Manager then).
     */
    double[] series(VmReservation reservation);

    /** The latest forecast of this gateway's use of the resource, in the unit of {@link ResourceKind}. */
    Forecast forecast(ResourceKind kind);
}
