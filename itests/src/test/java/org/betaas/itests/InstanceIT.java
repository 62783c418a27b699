package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Three gateways (three unpacked distributions on 127.0.0.1 with their own ports and data) and one mosquitto with
 * a user per gateway form a BETaaS instance. Plain JUnit, not Pax Exam: each gateway is a real {@code bin/karaf}
 * process, driven through {@code bin/client}, so one can be killed with SIGKILL. The boots are shared by the
 * methods, which run in name order (the kill is last).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class InstanceIT {

    private static final String INSTANCE = "it-home";
    private static final String KEY = "instance-key-of-the-integration-test";
    private static final String[] IDS = {"gw-1", "gw-2", "gw-3"};
    private static final long KEEP_ALIVE_MS = 15_000;

    private static Path work;
    private static int brokerPort;
    private static Process broker;
    private static final Map<String, Gateway> GATEWAYS = new LinkedHashMap<>();

    private record Gateway(String id, Path home, int sshPort, Process process) {
    }

    @BeforeClass
    public static void startInstance() throws Exception {
        File dist = new File(System.getProperty("betaas.distribution",
                "../assembly/target/betaas-gateway-0.1.0-SNAPSHOT.tar.gz"));
        Assume.assumeTrue("distribution not built: " + dist, dist.isFile());
        Assume.assumeTrue("mosquitto not installed (itests/host/setup)", new File("/usr/sbin/mosquitto").canExecute()
                && new File("/usr/bin/mosquitto_pub").canExecute());
        work = Path.of("target", "instance-it").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        startBroker();
        for (String id : IDS) {
            Gateway g = unpackAndStart(dist, id);
            GATEWAYS.put(id, g);
        }
        for (Gateway g : GATEWAYS.values()) {
            await("gateway " + g.id() + " joined", 120_000,
                    () -> client(g, "betaas:instance-info").contains("State       JOINED"));
        }
    }

    @AfterClass
    public static void stopInstance() throws Exception {
        for (Gateway g : GATEWAYS.values()) {
            kill(g.process());
        }
        GATEWAYS.clear();
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    public void a_everyGatewayListsAllThreeOnline() throws Exception {
        for (Gateway g : GATEWAYS.values()) {
            await(g.id() + " lists all three online", 30_000, () -> {
                String out = client(g, "betaas:gateway-list");
                for (String id : IDS) {
                    if (!row(out, id).contains("yes")) {
                        return false;
                    }
                }
                return true;
            });
            String out = client(g, "betaas:gateway-list");
            assertTrue(out, row(out, g.id()).contains("(this)"));
            assertEquals(out, 1.0, trust(out, otherThan(g.id())), 1e-9);
        }
    }

    @Test
    public void b1_placementOnOneGatewayConsidersThePeersOfTheLiveView() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        String out = await("gw-1's placement sees both peers", 20_000, () -> {
            String o = client(gw1, "betaas:placement-explain service-test-x86_64");
            return o.contains("Peers: 2 known") ? o : null;
        });
        System.out.println("InstanceIT: placement-explain on gw-1:\n" + out);
        assertTrue(out, out.contains("gw-2") && out.contains("gw-3"));
    }

    @Test
    public void b_wrongBrokerCredentialsCannotConnect() throws Exception {
        ProcessRun r = run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(brokerPort), "-u", "gw-1",
                "-P", "wrong-password", "-t", "betaas/" + INSTANCE + "/gateways/gw-1/status", "-m", "{}"), 10);
        assertNotEquals("a wrong broker password must be refused: " + r.output(), 0, r.exitCode());
    }

    @Test
    public void c_aStatusSignedWithoutTheInstanceKeyIsDroppedAndCounted() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        long before = counter(client(gw1, "betaas:instance-info"), "bad_signature");
        // the intruder has a broker account but not the instance key
        String forged = envelope("gw-4", "not-the-instance-key-of-it-home", System.currentTimeMillis(),
                "{\"gatewayId\":\"gw-4\",\"online\":true,\"session\":\"x\",\"timestamp\":"
                        + System.currentTimeMillis() + "}");
        ProcessRun r = publish("betaas/" + INSTANCE + "/gateways/gw-4/status", forged);
        assertEquals(r.output(), 0, r.exitCode());
        await("the forged status counted", 15_000,
                () -> counter(client(gw1, "betaas:instance-info"), "bad_signature") > before);
        String list = client(gw1, "betaas:gateway-list");
        assertFalse(list, list.contains("gw-4"));
    }

    @Test
    public void d_aReplayedStatusIsRejected() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        // what an eavesdropper with broker access sees: gw-2's retained, signed status
        ProcessRun captured = run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(brokerPort),
                "-u", "intruder", "-P", "intruder-pw", "-t", "betaas/" + INSTANCE + "/gateways/gw-2/status",
                "-C", "1", "-W", "10"), 15);
        assertEquals(captured.output(), 0, captured.exitCode());
        String message = captured.output().trim();
        assertTrue(message, message.contains("\"mac\""));
        long before = counter(client(gw1, "betaas:instance-info"), "replayed");
        ProcessRun r = publish("betaas/" + INSTANCE + "/gateways/gw-2/status", message);
        assertEquals(r.output(), 0, r.exitCode());
        await("the replay counted", 15_000,
                () -> counter(client(gw1, "betaas:instance-info"), "replayed") > before);
    }

    @Test
    public void e_aTamperedStatusIsRejected() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        ProcessRun captured = run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(brokerPort),
                "-u", "intruder", "-P", "intruder-pw", "-t", "betaas/" + INSTANCE + "/gateways/gw-2/status",
                "-C", "1", "-W", "10"), 15);
        String message = captured.output().trim();
        // claim more memory free than there is, keeping the MAC
        String tampered = message.replaceFirst("\\\\\"cpuCores\\\\\":\\d+", "\\\\\"cpuCores\\\\\":64");
        assertNotEquals(message, tampered);
        long before = counter(client(gw1, "betaas:instance-info"), "bad_signature");
        publish("betaas/" + INSTANCE + "/gateways/gw-2/status", tampered);
        await("the tampered status counted", 15_000,
                () -> counter(client(gw1, "betaas:instance-info"), "bad_signature") > before);
    }

    @Test
    public void z_aKilledGatewayIsDetectedWithinTheKeepAliveAndLosesTrust() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        Gateway gw3 = GATEWAYS.get("gw-3");
        double trustBefore = trust(client(gw1, "betaas:gateway-list"), "gw-3");
        long t0 = System.nanoTime();
        gw3.process().destroyForcibly(); // SIGKILL: bin/karaf daemon execs the JVM
        assertTrue(gw3.process().waitFor(10, TimeUnit.SECONDS));
        String seen = await("gw-1 sees gw-3 offline", KEEP_ALIVE_MS + 5_000, () -> {
            String out = client(gw1, "betaas:gateway-list");
            return row(out, "gw-3").contains(" no ") ? out : null;
        });
        long detectedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("InstanceIT: kill -9 of gw-3 detected by gw-1 after at most " + detectedMs + " ms");
        assertTrue("detected after " + detectedMs + " ms", detectedMs <= KEEP_ALIVE_MS);
        assertTrue(seen, trust(seen, "gw-3") < trustBefore);
        String gw2 = await("gw-2 sees gw-3 offline", KEEP_ALIVE_MS, () -> {
            String out = client(GATEWAYS.get("gw-2"), "betaas:gateway-list");
            return row(out, "gw-3").contains(" no ") ? out : null;
        });
        assertTrue(gw2, row(gw2, "gw-1").contains("yes"));
        String placement = await("gw-1's placement no longer offers gw-3", 10_000, () -> {
            String o = client(gw1, "betaas:placement-explain service-test-x86_64");
            return o.contains("Peers: 1 known") ? o : null;
        });
        assertFalse(placement, placement.contains("gw-3"));
    }

    // ---- the instance -------------------------------------------------------------------------------------

    private static void startBroker() throws Exception {
        brokerPort = freePort();
        Path passwords = work.resolve("mosquitto.passwd");
        Files.createFile(passwords);
        for (String user : new String[] {"gw-1", "gw-2", "gw-3", "intruder"}) {
            ProcessRun r = run(List.of("mosquitto_passwd", "-b", passwords.toString(), user, user + "-pw"), 10);
            assertEquals(r.output(), 0, r.exitCode());
        }
        Path conf = work.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + brokerPort + " 127.0.0.1\n"
                + "allow_anonymous false\npassword_file " + passwords + "\n"
                + "persistence false\nmax_queued_messages 10000\n");
        broker = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("mosquitto.log").toFile()).start();
        await("mosquitto listening", 10_000, () -> {
            try (Socket ignored = new Socket("127.0.0.1", brokerPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static Gateway unpackAndStart(File dist, String id) throws Exception {
        Path home = work.resolve(id);
        Files.createDirectories(home);
        ProcessRun untar = run(List.of("tar", "xzf", dist.getAbsolutePath(), "-C", home.toString(),
                "--strip-components=1"), 120);
        assertEquals(untar.output(), 0, untar.exitCode());
        Path etc = home.resolve("etc");
        int ssh = freePort();
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(ssh));
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        set(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", String.valueOf(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryHost", "127.0.0.1");
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerHost", "127.0.0.1");
        set(etc.resolve("org.betaas.gateway.cfg"), "gateway.id", id);
        set(etc.resolve("org.betaas.gateway.cfg"), "instance.id", INSTANCE);
        Path instance = etc.resolve("org.betaas.instance.cfg");
        set(instance, "broker.url", "tcp://127.0.0.1:" + brokerPort);
        set(instance, "broker.user", id);
        set(instance, "broker.password", id + "-pw");
        set(instance, "instance.key", KEY);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("JAVA_MAX_MEM", "256m");
        return new Gateway(id, home, ssh, pb.start());
    }

    private static void kill(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    // ---- talking to the gateways and the broker ---------------------------------------------------------------

    /** Runs one shell command through bin/client (batch mode, stdin closed after the command). */
    private static String client(Gateway g, String command) {
        try {
            ProcessRun r = run(List.of(g.home().resolve("bin/client").toString(), "-h", "127.0.0.1", "-a",
                    String.valueOf(g.sshPort()), "-u", "karaf", "-p", "karaf", "-r", "3", "-d", "1", "-b"),
                    command + "\n", 60);
            return r.output();
        } catch (Exception e) {
            return "client failed: " + e;
        }
    }

    private static ProcessRun publish(String topic, String payload) throws Exception {
        return run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(brokerPort), "-u", "intruder",
                "-P", "intruder-pw", "-q", "1", "-t", topic, "-m", payload), 10);
    }

    /** An envelope as docs/instance-protocol.md defines it, signed with {@code key}. */
    private static String envelope(String from, String key, long ts, String payload) throws Exception {
        String nonce = Long.toHexString(System.nanoTime());
        String input = "1\nstatus\n" + INSTANCE + "\n" + from + "\n" + ts + "\n" + nonce + "\n" + payload;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        return "{\"v\":1,\"type\":\"status\",\"instance\":\"" + INSTANCE + "\",\"from\":\"" + from + "\",\"ts\":" + ts
                + ",\"nonce\":\"" + nonce + "\",\"payload\":\"" + payload.replace("\"", "\\\"")
                + "\",\"mac\":\"" + signature + "\"}";
    }


    private static ProcessRun run(List<String> command, int timeoutSeconds) throws Exception {
        return run(command, null, timeoutSeconds);
    }

    private static ProcessRun run(List<String> command, String stdin, int timeoutSeconds) throws Exception {
        return ProcessRun.of(command, stdin, timeoutSeconds);
    }

    // ---- reading the shell's output ---------------------------------------------------------------------------

    /** The table row of a gateway in betaas:gateway-list, padded with spaces so " no " matches a cell. */
    private static String row(String table, String id) {
        for (String line : table.split("\\R")) {
            if (line.startsWith(id + " ")) {
                return " " + line.replace("|", " ") + " ";
            }
        }
        return "";
    }

    private static double trust(String table, String id) {
        Matcher m = Pattern.compile("\\s(\\d\\.\\d\\d)\\s").matcher(row(table, id));
        assertTrue("no trust for " + id + " in\n" + table, m.find());
        return Double.parseDouble(m.group(1));
    }

    private static long counter(String info, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(info);
        assertTrue("no counter " + name + " in\n" + info, m.find());
        return Long.parseLong(m.group(1));
    }

    private static String otherThan(String id) {
        return id.equals("gw-1") ? "gw-2" : "gw-1";
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private static <T> T await(String what, long timeoutMs, java.util.concurrent.Callable<T> probe) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        T last = null;
        while (System.currentTimeMillis() < end) {
            last = probe.call();
            if (last != null && !Boolean.FALSE.equals(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
    }

    private static void set(Path file, String key, String value) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
        Pattern p = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        boolean done = false;
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (!done && p.matcher(line).matches()) {
                out.add(key + " = " + value);
                done = true;
            } else {
                out.add(line);
            }
        }
        if (!done) {
            out.add(key + " = " + value);
        }
        Files.write(file, out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
