package org.betaas.service.instance.internal;

import java.util.Dictionary;

/**
 * How a gateway's cores count for placement, as the TaaS Resources Manager counts them for its own gateway
 * (configuration {@code etc/org.betaas.placement.cfg}): the vCPUs offered are cores × {@code cpu.allocation.ratio},
 * the power is cores × {@code cpu.speed}. Values outside the manager's ranges fall back to its defaults, as there.
 *
 * @param allocationRatio virtual CPUs offered per core
 * @param speed           relative speed of a core (1 = a typical x86 core)
 */
record CpuScaling(double allocationRatio, double speed) {

    /** The placement configuration's PID and keys, and its defaults and ranges. */
    static final String PLACEMENT_PID = "org.betaas.placement";
    static final String RATIO_KEY = "cpu.allocation.ratio";
    static final String SPEED_KEY = "cpu.speed";
    static final CpuScaling DEFAULTS = new CpuScaling(4.0, 1.0);

    /** From the placement configuration's properties (null: none stored, the defaults). */
    static CpuScaling of(Dictionary<String, ?> placement) {
        if (placement == null) {
            return DEFAULTS;
        }
        return new CpuScaling(value(placement.get(RATIO_KEY), 0.1, 64, DEFAULTS.allocationRatio()),
                value(placement.get(SPEED_KEY), 0.01, 100, DEFAULTS.speed()));
    }

    private static double value(Object raw, double min, double max, double fallback) {
        double v;
        if (raw instanceof Number n) {
            v = n.doubleValue();
        } else if (raw instanceof String s && !s.isBlank()) {
            try {
                v = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        } else {
            return fallback;
        }
        return Double.isNaN(v) || v < min || v > max ? fallback : v;
    }

    /**
     * A peer's figures: the ones it reports (its own configuration), else this gateway's ({@code local}), as a
     * gateway of an older version does not report them.
     */
    static CpuScaling ofPeer(Double reportedRatio, Double reportedSpeed, CpuScaling local) {
        double ratio = reportedRatio != null && reportedRatio >= 0.1 && reportedRatio <= 64 ? reportedRatio
                : local.allocationRatio();
        double speed = reportedSpeed != null && reportedSpeed >= 0.01 && reportedSpeed <= 100 ? reportedSpeed
                : local.speed();
        return new CpuScaling(ratio, speed);
    }
}
