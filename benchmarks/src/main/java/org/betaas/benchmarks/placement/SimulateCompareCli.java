package org.betaas.benchmarks.placement;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.betaas.benchmarks.Main;

/**
 * {@code simulate-compare --gateways N --seeds A-B [--threads T] [options of SimulationOptions]}: runs the four
 * policies on every seed of the range (in parallel, each run on its own simulator) and prints the markdown table
 * of {@link Comparison}: the sums, BETaaS's paired per-seed differences with each baseline, and the targets.
 */
public final class SimulateCompareCli implements Main.SubCommand {

    static final String USAGE = "usage: simulate-compare --seeds A-B [--threads T (default: the processors)] "
            + SimulationOptions.USAGE;

    /** What {@code simulate-compare} reads besides the shared options. */
    private static final class Own implements SimulationOptions.OwnOptions {
        long first = 1;
        long last = 10;
        int threads = Runtime.getRuntime().availableProcessors();

        @Override
        public boolean set(String key, String value) {
            switch (key) {
                case "--seeds" -> {
                    String[] range = value.split("-", 2);
                    first = SimulationOptions.number(key, range[0]);
                    last = range.length == 2 ? SimulationOptions.number(key, range[1]) : first;
                    if (last < first) {
                        throw new IllegalArgumentException("--seeds " + value + ": write the lower seed first, e.g. 1-30");
                    }
                }
                case "--threads" ->
                        threads = SimulationOptions.positive(key, (int) SimulationOptions.number(key, value));
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        SimulationOptions options = new SimulationOptions();
        Own own = new Own();
        List<double[]> traces = CpuTraces.load();
        try {
            options.parse(args, own);
            new Simulator(options.config(own.first), traces); // its checks (e.g. --steps), before any thread starts
        } catch (IllegalArgumentException e) {
            err.println("simulate-compare: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Map<String, List<Future<Simulator.Result>>> futures = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(own.threads);
        try {
            for (String policy : SimulationOptions.POLICIES) {
                List<Future<Simulator.Result>> runs = new ArrayList<>();
                for (long seed = own.first; seed <= own.last; seed++) {
                    long s = seed;
                    runs.add(pool.submit(() -> options.run(policy, s, traces)));
                }
                futures.put(policy, runs);
            }
            Map<String, List<Simulator.Result>> results = new LinkedHashMap<>();
            for (Map.Entry<String, List<Future<Simulator.Result>>> e : futures.entrySet()) {
                List<Simulator.Result> list = new ArrayList<>();
                for (Future<Simulator.Result> f : e.getValue()) {
                    list.add(f.get());
                }
                results.put(e.getKey(), list);
            }
            Simulator.Config config = options.config(own.first);
            out.print(new Comparison(results).toMarkdown(options.gateways + " gateways, seeds " + own.first + "–" + own.last
                    + ", load " + config.load() + ", remote limit " + config.remoteLimit() + ", BETaaS sees "
                    + results.get(Comparison.BETAAS).get(0).forecaster() + " (sums; per seed: mean ± standard error"
                    + " of BETaaS − baseline)"));
        } catch (ExecutionException e) {
            err.println("simulate-compare: " + e.getCause().getMessage() + "\n" + USAGE);
            return 2;
        } finally {
            pool.shutdownNow();
        }
        out.flush();
        return 0;
    }
}
