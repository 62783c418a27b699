package org.betaas.benchmarks.placement;

import java.io.PrintStream;

import org.betaas.benchmarks.Main;

/**
 * {@code simulate --policy betaas|first-fit|spread|best-fit --gateways N --seed S [options of
 * SimulationOptions]}: runs the placement simulator with one policy on one seed and prints one JSON object.
 */
public final class SimulateCli implements Main.SubCommand {

    static final String USAGE = "usage: simulate --policy betaas|first-fit|spread|best-fit --seed S "
            + SimulationOptions.USAGE;

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        SimulationOptions options = new SimulationOptions();
        String policy = "betaas";
        long seed = 1;
        Simulator.Result result;
        try {
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(key + " needs a value");
                }
                String value = args[++i];
                if (key.equals("--policy")) {
                    policy = value;
                } else if (key.equals("--seed")) {
                    seed = SimulationOptions.number(key, value);
                } else if (!options.set(key, value)) {
                    throw new IllegalArgumentException("unknown option " + key);
                }
            }
            result = options.run(policy, seed, CpuTraces.load());
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        out.println(result.toJson());
        out.flush();
        return 0;
    }
}
