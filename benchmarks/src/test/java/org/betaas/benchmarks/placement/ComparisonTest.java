package org.betaas.benchmarks.placement;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ComparisonTest {

    /** A result with the figures the comparison reads; the rest is filler. */
    private static Simulator.Result result(String policy, long seed, int accepted, int largest, int remote) {
        return new Simulator.Result(policy, "test", new Simulator.Config(10, seed, 1, 1.2, 2, 1), 100, accepted, 20,
                largest, accepted - remote, remote, remote, 100 - accepted, 0, 0);
    }

    /** Per seed (accepted, largest, remote) for betaas, first-fit, spread, best-fit. */
    private static Comparison of(int[][]... perPolicy) {
        String[] names = {"betaas", "first-fit", "spread", "best-fit"};
        Map<String, List<Simulator.Result>> map = new LinkedHashMap<>();
        for (int p = 0; p < names.length; p++) {
            List<Simulator.Result> list = new ArrayList<>();
            for (int s = 0; s < perPolicy[p].length; s++) {
                int[] f = perPolicy[p][s];
                list.add(result(names[p], s + 1, f[0], f[1], f[2]));
            }
            map.put(names[p], list);
        }
        return new Comparison(map);
    }

    @Test
    public void sumsAndPairedDifferencesOverTheSeeds() {
        Comparison c = of(
                new int[][] {{50, 10, 3}, {60, 12, 5}, {70, 9, 4}},
                new int[][] {{48, 8, 3}, {57, 11, 6}, {69, 9, 4}},
                new int[][] {{45, 5, 4}, {55, 6, 5}, {66, 4, 5}},
                new int[][] {{50, 10, 2}, {61, 13, 5}, {70, 9, 4}});
        assertEquals(180, c.sum("betaas", Simulator.Result::accepted));
        assertEquals(11, c.sum("best-fit", Simulator.Result::remote));
        // betaas − first-fit accepted: 2, 3, 1 → mean 2, sd 1, standard error 1/√3
        Comparison.Difference d = c.difference("first-fit", Simulator.Result::accepted);
        assertEquals(2.0, d.mean(), 1e-12);
        assertEquals(1 / Math.sqrt(3), d.standardError(), 1e-12);
        assertFalse("a gap of 2 standard errors and more is not a tie", new Comparison.Difference(2.0, 0.9).isTie());
        assertTrue(new Comparison.Difference(-0.1, 0.38).isTie());
    }

    @Test
    public void targetsAreCheckedOnTheSums() {
        Comparison meets = of(
                new int[][] {{50, 10, 3}, {60, 12, 5}},
                new int[][] {{48, 8, 3}, {57, 11, 6}},
                new int[][] {{45, 5, 4}, {55, 6, 5}},
                new int[][] {{50, 10, 4}, {60, 13, 5}});
        List<String> targets = meets.targets();
        assertEquals(3, targets.size());
        targets.forEach(t -> assertTrue(t, t.startsWith("met: ")));

        // one more remote placement than best-fit in the sum: the remote target fails, the others hold
        Comparison oneMoreRemote = of(
                new int[][] {{50, 10, 4}, {60, 12, 5}},
                new int[][] {{48, 8, 4}, {57, 11, 6}},
                new int[][] {{45, 5, 4}, {55, 6, 5}},
                new int[][] {{50, 10, 3}, {60, 13, 5}});
        targets = oneMoreRemote.targets();
        assertTrue(targets.get(0), targets.get(0).startsWith("met: "));
        assertTrue(targets.get(2), targets.get(2).startsWith("NOT met: places no more VMs remotely"));
        assertTrue(targets.get(2), targets.get(2).contains("best-fit 8"));

        // as many of the largest template as spread is not more
        Comparison sameLargest = of(
                new int[][] {{50, 5, 3}},
                new int[][] {{48, 8, 3}},
                new int[][] {{45, 5, 4}},
                new int[][] {{50, 10, 4}});
        assertTrue(sameLargest.targets().get(1).startsWith("NOT met: "));
    }

    @Test
    public void resultsOfOtherSeedsAreRefused() {
        Map<String, List<Simulator.Result>> map = new LinkedHashMap<>();
        map.put("betaas", List.of(result("betaas", 1, 1, 1, 1)));
        map.put("first-fit", List.of(result("first-fit", 2, 1, 1, 1)));
        map.put("spread", List.of(result("spread", 1, 1, 1, 1)));
        map.put("best-fit", List.of(result("best-fit", 1, 1, 1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Comparison(map));
        assertTrue(e.getMessage(), e.getMessage().contains("first-fit"));
    }
}
