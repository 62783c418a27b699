package org.betaas.benchmarks.placement;

import java.util.List;
import java.util.Locale;

import org.betaas.api.resources.Forecaster;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.betaas.taas.resources.placement.AllocationPolicy;
import org.betaas.taas.resources.placement.PolicySettings;

/**
 * The options {@code simulate} and {@code simulate-compare} share: the instance, the load and what the BETaaS
 * policy sees. Each sub-command reads its own options first and hands the others to {@link #set}.
 */
final class SimulationOptions {

    static final String USAGE = "--gateways N"
            + " [--steps T (5-minute steps, default 2016 = 7 days)] [--load L (offered/free memory, default 1.2)]"
            + " [--remote-limit R (default max(2, N/10))] [--horizon H (5-minute steps BETaaS forecasts ahead, 1.."
            + Simulator.TRACE_MARGIN + ", default 1)] [--forecaster holt|last (default holt)]"
            + " [--bound upper|point (the upper bound BETaaS sees: the forecast's 95 % bound (default), or the point"
            + " forecast, which merges its two tiers)]"
            + " [--shortage-level F] [--powerful-power P] (BETaaS policy settings, defaults "
            + PolicySettings.DEFAULTS.shortageLevel() + " and " + PolicySettings.DEFAULTS.powerfulPower() + ")";

    static final String[] POLICIES = {"betaas", "first-fit", "spread", "best-fit"};

    int gateways = 10;
    String forecasterName = "holt";
    boolean upperBound = true;
    private Integer steps;
    private Double load;
    private Integer remoteLimit;
    private Integer horizon;
    private PolicySettings settings = PolicySettings.DEFAULTS;

    /** A sub-command's own options: reads one and says true, or says false when {@code key} is not one of them. */
    interface OwnOptions {
        boolean set(String key, String value);
    }

    /** Reads {@code --key value} pairs: the sub-command's own first, then the shared ones; else an error. */
    void parse(String[] args, OwnOptions own) {
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value");
            }
            String value = args[++i];
            if (!own.set(key, value) && !set(key, value)) {
                throw new IllegalArgumentException("unknown option " + key);
            }
        }
    }

    /** Reads one shared option; false when {@code key} is not one of them. */
    boolean set(String key, String value) {
        switch (key) {
            case "--gateways" -> gateways = positive(key, (int) number(key, value));
            case "--steps" -> steps = positive(key, (int) number(key, value));
            case "--load" -> load = decimal(key, value);
            case "--remote-limit" -> remoteLimit = (int) number(key, value);
            case "--horizon" -> horizon = horizon((int) number(key, value));
            case "--forecaster" -> forecasterName = forecasterName(value);
            case "--bound" -> upperBound = upperBound(value);
            case "--shortage-level" -> settings = new PolicySettings(settings.trustThreshold(),
                    settings.powerfulPower(), decimal(key, value));
            case "--powerful-power" -> settings = new PolicySettings(settings.trustThreshold(),
                    decimal(key, value), settings.shortageLevel());
            default -> {
                return false;
            }
        }
        return true;
    }

    Simulator.Config config(long seed) {
        Simulator.Config defaults = Simulator.Config.of(gateways, seed);
        return new Simulator.Config(gateways, seed, steps == null ? defaults.steps() : steps,
                load == null ? defaults.load() : load, remoteLimit == null ? defaults.remoteLimit() : remoteLimit,
                horizon == null ? defaults.horizon() : horizon);
    }

    /** The policy of that name, or an IllegalArgumentException naming the choices. */
    Placer placer(String policy) {
        return switch (policy.toLowerCase(Locale.ROOT)) {
            case "betaas" -> new AllocationPolicy(settings)::decide;
            case "first-fit" -> BaselinePolicy.FIRST_FIT;
            case "spread" -> BaselinePolicy.SPREAD;
            case "best-fit" -> BaselinePolicy.BEST_FIT;
            default -> throw new IllegalArgumentException("unknown policy '" + policy + "': use one of "
                    + String.join(", ", POLICIES));
        };
    }

    Forecaster forecaster() {
        return forecasterName.equals("holt") ? new HoltForecaster() : new LastValueForecaster();
    }

    /** Runs one policy on one seed over the traces of {@link CpuTraces#load()} (read-only, shareable). */
    Simulator.Result run(String policy, long seed, List<double[]> traces) {
        Placer placer = placer(policy);
        return new Simulator(config(seed), traces).run(policy.toLowerCase(Locale.ROOT), placer,
                forecaster(), forecasterName, upperBound);
    }

    private static String forecasterName(String value) {
        if (!value.equals("holt") && !value.equals("last")) {
            throw new IllegalArgumentException("unknown forecaster '" + value + "': use holt or last");
        }
        return value;
    }

    private static boolean upperBound(String value) {
        if (!value.equals("upper") && !value.equals("point")) {
            throw new IllegalArgumentException("unknown bound '" + value + "': use upper or point");
        }
        return value.equals("upper");
    }

    private static int horizon(int steps) {
        if (steps < 1 || steps > Simulator.TRACE_MARGIN) {
            throw new IllegalArgumentException("--horizon must be 1.." + Simulator.TRACE_MARGIN + " steps, got " + steps);
        }
        return steps;
    }

    /** A whole number, or an error naming the option. */
    static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a whole number, got '" + value + "'");
        }
    }

    private static double decimal(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a number, got '" + value + "'");
        }
    }

    static int positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }
}
