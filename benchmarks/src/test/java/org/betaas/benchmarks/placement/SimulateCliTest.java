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
    public void wrongArgumentsAreExplained() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new SimulateCli().run(new String[] {"--policy", "random"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown policy 'random'"));
    }
}
