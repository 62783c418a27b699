package org.betaas.taas.resources.internal;

import java.util.ArrayList;
import java.util.List;

import org.betaas.taas.resources.placement.PolicySettings;

/** The placement configuration checked once: wrong values fall back to the defaults and are reported. */
record PlacementSettings(PolicySettings policy, double cpuAllocationRatio, double cpuSpeed,
                         int remoteVmLimit, List<String> problems) {

    static final String FILE = "etc/org.betaas.placement.cfg";

    static PlacementSettings parse(double trust, double powerful, double shortage, double ratio,
                                   double speed, int remoteLimit) {
        List<String> problems = new ArrayList<>();
        PolicySettings d = PolicySettings.DEFAULTS;
        trust = within("trust.threshold", trust, 0, 1, d.trustThreshold(), problems);
        powerful = within("powerful.power", powerful, 0, 1e6, d.powerfulPower(), problems);
        shortage = within("shortage.level", shortage, 0, 1, d.shortageLevel(), problems);
        ratio = within("cpu.allocation.ratio", ratio, 0.1, 64, 4, problems);
        speed = within("cpu.speed", speed, 0.01, 100, 1, problems);
        remoteLimit = (int) within("remote.vmLimit", remoteLimit, 0, 100_000, 4, problems);
        return new PlacementSettings(new PolicySettings(trust, powerful, shortage), ratio, speed, remoteLimit,
                List.copyOf(problems));
    }

    private static double within(String key, double value, double min, double max, double fallback,
                                 List<String> problems) {
        if (Double.isNaN(value) || value < min || value > max) {
            problems.add(key + " in " + FILE + " is " + value + ": use a value from " + min + " to " + max
                    + " (using " + fallback + " meanwhile)");
            return fallback;
        }
        return value;
    }
}
