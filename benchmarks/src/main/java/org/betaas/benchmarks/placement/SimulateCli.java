package org.betaas.benchmarks.placement;

import java.io.PrintStream;
import java.util.Locale;

import org.betaas.api.resources.Forecaster;
import org.betaas.benchmarks.Main;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.betaas.taas.resources.placement.AllocationPolicy;
import org.betaas.taas.resources.placement.PolicySettings;

/**
 * {@code simulate --policy betaas|first-fit|spread|best-fit --gateways N --seed S [--steps T] [--load L]
 * [--remote-limit R] [--horizon H] [--forecaster holt|last] [--bound upper|point]}: runs the placement simulator and prints
 * one JSON object.
 */
public final class SimulateCli implements Main.SubCommand {

    static final String USAGE = "usage: simulate --policy betaas|first-fit|spread|best-fit --gateways N --seed S"
            + " [--steps T (5-minute steps, default 2016 = 7 days)] [--load L (offered/free memory, default 1.2)]"
            + " [--remote-limit R (default max(2, N/10))] [--horizon H (5-minute steps BETaaS forecasts ahead, 1..12,"
            + " default 1)] [--forecaster holt|last (default holt)]"
            + " [--bound upper|point (the upper bound BETaaS sees: the forecast's 95 % bound (default), or the point"
            + " forecast, which merges its two tiers)]"
            + " [--shortage-level F] [--powerful-power P] (BETaaS policy settings, defaults 0.2 and 4)";

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        String policy = "betaas";
        String forecasterName = "holt";
        String bound = "upper";
        int gateways = 10;
        long seed = 1;
        Integer steps = null;
        Double load = null;
        Integer remoteLimit = null;
        Integer horizon = null;
        PolicySettings settings = PolicySettings.DEFAULTS;
        try {
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(key + " needs a value");
                }
                String value = args[++i];
                switch (key) {
                    case "--policy" -> policy = value;
                    case "--forecaster" -> forecasterName = value;
                    case "--bound" -> bound = value;
                    case "--shortage-level" -> settings = new PolicySettings(settings.trustThreshold(),
                            settings.powerfulPower(), Double.parseDouble(value));
                    case "--powerful-power" -> settings = new PolicySettings(settings.trustThreshold(),
                            Double.parseDouble(value), settings.shortageLevel());
                    case "--gateways" -> gateways = positive(key, Integer.parseInt(value));
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--steps" -> steps = positive(key, Integer.parseInt(value));
                    case "--load" -> load = Double.parseDouble(value);
                    case "--remote-limit" -> remoteLimit = Integer.parseInt(value);
                    case "--horizon" -> horizon = horizon(Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("unknown option " + key);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Placer placer = switch (policy.toLowerCase(Locale.ROOT)) {
            case "betaas" -> new AllocationPolicy(settings)::decide;
            case "first-fit" -> BaselinePolicy.FIRST_FIT;
            case "spread" -> BaselinePolicy.SPREAD;
            case "best-fit" -> BaselinePolicy.BEST_FIT;
            default -> null;
        };
        if (placer == null) {
            err.println("simulate: unknown policy '" + policy + "'\n" + USAGE);
            return 2;
        }
        Forecaster forecaster = switch (forecasterName) {
            case "holt" -> new HoltForecaster();
            case "last" -> new LastValueForecaster();
            default -> null;
        };
        if (forecaster == null) {
            err.println("simulate: unknown forecaster '" + forecasterName + "'\n" + USAGE);
            return 2;
        }
        if (!bound.equals("upper") && !bound.equals("point")) {
            err.println("simulate: unknown bound '" + bound + "'\n" + USAGE);
            return 2;
        }
        Simulator.Config defaults = Simulator.Config.of(gateways, seed);
        Simulator.Config config = new Simulator.Config(gateways, seed,
                steps == null ? defaults.steps() : steps, load == null ? defaults.load() : load,
                remoteLimit == null ? defaults.remoteLimit() : remoteLimit,
                horizon == null ? defaults.horizon() : horizon);
        try {
            Simulator simulator = new Simulator(config, CpuTraces.load());
            out.println(simulator.run(policy.toLowerCase(Locale.ROOT), placer, forecaster, forecasterName,
                    bound.equals("upper")).toJson());
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            return 2;
        }
        out.flush();
        return 0;
    }

    private static int horizon(int steps) {
        if (steps < 1 || steps > Simulator.TRACE_MARGIN) {
            throw new IllegalArgumentException("--horizon must be 1.." + Simulator.TRACE_MARGIN + " steps, got " + steps);
        }
        return steps;
    }

    private static int positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }
}
