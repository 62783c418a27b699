package org.betaas.benchmarks.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.ToIntFunction;

/**
 * The four policies' results on the same seeds, summed, and BETaaS's per-seed difference with each baseline
 * (mean ± standard error of the paired differences), with the targets checked on the sums.
 *
 * <p>Why paired differences: every policy sees the same gateways and requests for a seed, so most of the
 * seed-to-seed variation cancels in the difference; its standard error says whether a small gap in the sums is
 * more than what another draw of seeds would undo.
 */
final class Comparison {

    static final String BETAAS = "betaas";
    static final List<String> BASELINES = List.of("first-fit", "spread", "best-fit");

    /** One figure of a result, named as in the simulator's JSON. */
    record Figure(String name, ToIntFunction<Simulator.Result> value) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("accepted", Simulator.Result::accepted),
            new Figure("acceptedLargest", Simulator.Result::acceptedLargest),
            new Figure("remote", Simulator.Result::remote),
            new Figure("moved", Simulator.Result::moved),
            new Figure("failed", Simulator.Result::failed));

    /** Mean and standard error of BETaaS − baseline over the seeds. */
    record Difference(double mean, double standardError) {

        boolean isTie() {
            return Math.abs(mean) <= 2 * standardError;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%+.2f ± %.2f", mean, standardError);
        }
    }

    private final Map<String, List<Simulator.Result>> byPolicy;

    /** @param byPolicy for each of the four policies, its results in the same seed order */
    Comparison(Map<String, List<Simulator.Result>> byPolicy) {
        List<Simulator.Result> betaas = byPolicy.get(BETAAS);
        if (betaas == null || betaas.isEmpty()) {
            throw new IllegalArgumentException("no BETaaS results to compare");
        }
        for (String baseline : BASELINES) {
            List<Simulator.Result> other = byPolicy.get(baseline);
            if (other == null || other.size() != betaas.size()) {
                throw new IllegalArgumentException("the " + baseline + " results do not cover the same seeds");
            }
            for (int i = 0; i < betaas.size(); i++) {
                if (other.get(i).config().seed() != betaas.get(i).config().seed()) {
                    throw new IllegalArgumentException("the " + baseline + " results are not in the same seed order");
                }
            }
        }
        this.byPolicy = byPolicy;
    }

    int sum(String policy, ToIntFunction<Simulator.Result> figure) {
        return byPolicy.get(policy).stream().mapToInt(figure).sum();
    }

    Difference difference(String baseline, ToIntFunction<Simulator.Result> figure) {
        List<Simulator.Result> mine = byPolicy.get(BETAAS);
        List<Simulator.Result> theirs = byPolicy.get(baseline);
        int n = mine.size();
        double[] d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            d[i] = figure.applyAsInt(mine.get(i)) - figure.applyAsInt(theirs.get(i));
            mean += d[i] / n;
        }
        double squares = 0;
        for (double x : d) {
            squares += (x - mean) * (x - mean);
        }
        double standardError = n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1) / n);
        return new Difference(mean, standardError);
    }

    /** The targets on the sums: accepted ≥ each baseline, largest > spread, remote ≤ each baseline. */
    List<String> targets() {
        List<String> lines = new ArrayList<>();
        lines.add(target("accepts at least as many requests as each baseline", Simulator.Result::accepted,
                BASELINES, (mine, theirs) -> mine >= theirs));
        lines.add(target("accepts more of the most expensive template than spread", Simulator.Result::acceptedLargest,
                List.of("spread"), (mine, theirs) -> mine > theirs));
        lines.add(target("places no more VMs remotely than any baseline", Simulator.Result::remote, BASELINES,
                (mine, theirs) -> mine <= theirs));
        return lines;
    }

    private String target(String what, ToIntFunction<Simulator.Result> figure, List<String> baselines,
                          BiPredicate<Integer, Integer> met) {
        int mine = sum(BETAAS, figure);
        boolean all = true;
        List<String> against = new ArrayList<>();
        for (String b : baselines) {
            int theirs = sum(b, figure);
            all &= met.test(mine, theirs);
            Difference d = difference(b, figure);
            against.add(b + " " + theirs + " (per seed " + d + (d.isTie() ? ", a tie" : "") + ")");
        }
        return (all ? "met" : "NOT met") + ": " + what + ": " + mine + " vs " + String.join(", ", against);
    }

    /** Markdown: the sums per policy, BETaaS's paired differences, the targets. */
    String toMarkdown(String title) {
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n').append('\n');
        out.append("| policy |");
        FIGURES.forEach(f -> out.append(' ').append(f.name()).append(" |"));
        out.append("\n|---|");
        FIGURES.forEach(f -> out.append("---:|"));
        out.append('\n');
        for (String policy : policies()) {
            out.append("| ").append(policy).append(" |");
            FIGURES.forEach(f -> out.append(' ').append(sum(policy, f.value())).append(" |"));
            out.append('\n');
        }
        for (String baseline : BASELINES) {
            out.append("| betaas − ").append(baseline).append(", per seed |");
            FIGURES.forEach(f -> out.append(' ').append(difference(baseline, f.value())).append(" |"));
            out.append('\n');
        }
        out.append('\n');
        targets().forEach(t -> out.append("- ").append(t).append('\n'));
        return out.toString();
    }

    private static List<String> policies() {
        List<String> all = new ArrayList<>();
        all.add(BETAAS);
        all.addAll(BASELINES);
        return all;
    }
}
