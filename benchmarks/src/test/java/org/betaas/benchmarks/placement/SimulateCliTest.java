package org.betaas.benchmarks.placement;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

public class SimulateCliTest {

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new SimulateCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(err.toString(StandardCharsets.UTF_8), 0, code);
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static int field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        assertTrue(key + " in " + json, m.find());
        return Integer.parseInt(m.group(1));
    }

    @Test
    public void everyPolicyPrintsOneJsonObjectWithTheFigures() {
        for (String policy : new String[] {"betaas", "first-fit", "spread", "best-fit"}) {
            String json = run("--policy", policy, "--gateways", "8", "--seed", "3", "--steps", "288");
            assertTrue(json, json.startsWith("{") && json.endsWith("}") && !json.contains("\n"));
            int requests = field(json, "requests");
            assertTrue(json, requests > 0);
            assertEquals(json, requests, field(json, "accepted") + field(json, "rejected"));
            assertEquals(json, field(json, "accepted"), field(json, "local") + field(json, "remoteRequests"));
            assertTrue(json, field(json, "acceptedLargest") <= field(json, "requestsLargest"));
            field(json, "moved");
            field(json, "remote");
        }
    }

    @Test
    public void theSameSeedGivesTheSameRequestsToEveryPolicyAndTheSameResult() {
        String a = run("--policy", "betaas", "--gateways", "6", "--seed", "11", "--steps", "144");
        String b = run("--policy", "betaas", "--gateways", "6", "--seed", "11", "--steps", "144");
        assertEquals(a, b);
        String spread = run("--policy", "spread", "--gateways", "6", "--seed", "11", "--steps", "144");
        assertEquals(field(a, "requests"), field(spread, "requests"));
        assertEquals(field(a, "requestsLargest"), field(spread, "requestsLargest"));
    }

    @Test
    public void theComparisonSumsWhatEachSingleRunPrints() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new SimulateCompareCli().run(new String[] {"--gateways", "6", "--seeds", "4-5", "--steps", "144",
                "--threads", "2"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        String table = out.toString(StandardCharsets.UTF_8);
        for (String policy : new String[] {"betaas", "first-fit", "spread", "best-fit"}) {
            int accepted = 0;
            int remote = 0;
            for (String seed : new String[] {"4", "5"}) {
                String json = run("--policy", policy, "--gateways", "6", "--seed", seed, "--steps", "144");
                accepted += field(json, "accepted");
                remote += field(json, "remote");
            }
            Matcher row = Pattern.compile("\\| " + policy + " \\| (\\d+) \\| \\d+ \\| (\\d+) \\|").matcher(table);
            assertTrue(table, row.find());
            assertEquals(table, accepted, Integer.parseInt(row.group(1)));
            assertEquals(table, remote, Integer.parseInt(row.group(2)));
        }
        assertTrue(table, table.contains("| betaas − best-fit, per seed |"));
        assertTrue(table, Pattern.compile("(?m)^- (met|NOT met): places no more VMs remotely").matcher(table).find());
    }

    @Test
    public void wrongArgumentsAreExplained() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new SimulateCli().run(new String[] {"--policy", "random"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown policy 'random'"));

        err.reset();
        code = new SimulateCompareCli().run(new String[] {"--seeds", "9-3"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--seeds 9-3"));

        err.reset();
        code = new SimulateCli().run(new String[] {"--load", "high"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
                .contains("--load needs a number, got 'high'"));
    }
}
