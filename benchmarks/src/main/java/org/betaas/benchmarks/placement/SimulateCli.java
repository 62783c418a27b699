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

    /** What {@code simulate} reads besides the shared options. */
    private static final class Own implements SimulationOptions.OwnOptions {
        String policy = "betaas";
        long seed = 1;

        @Override
        public boolean set(String key, String value) {
            switch (key) {
                case "--policy" -> policy = value;
                case "--seed" -> seed = SimulationOptions.number(key, value);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        SimulationOptions options = new SimulationOptions();
        Own own = new Own();
        Simulator.Result result;
        try {
            options.parse(args, own);
            result = options.run(own.policy, own.seed, CpuTraces.load());
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        out.println(result.toJson());
        out.flush();
        return 0;
    }
}
