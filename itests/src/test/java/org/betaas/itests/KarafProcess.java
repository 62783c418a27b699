package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real distribution run as a process ({@code bin/karaf daemon}), for the ITs that must stop and start Karaf
 * itself (Pax Exam cannot restart its container). Unpacked from the tar.gz into {@code target/<name>}, with free
 * ssh, http and RMI ports on 127.0.0.1 so that it never clashes with another IT; driven through {@code bin/client}
 * and stopped with {@code bin/stop}. The data folder survives {@link #stop()}/{@link #start()}.
 */
final class KarafProcess implements AutoCloseable {

    private final Path home;
    private final int ssh;
    private int http;
    private Process karaf;

    private KarafProcess(Path home, int ssh) {
        this.home = home;
        this.ssh = ssh;
    }

    /** Unpacks the distribution under test afresh into {@code target/<name>} and gives it ports of its own. */
    static KarafProcess unpack(String name) throws Exception {
        String dist = System.getProperty("betaas.distribution");
        assertTrue("distribution " + dist + " not built", dist != null && new File(dist).isFile());
        Path home = Paths.get("target", name).toAbsolutePath();
        ProcessRun.of(List.of("rm", "-rf", home.toString()), null, 60);
        Files.createDirectories(home);
        ProcessRun untar = ProcessRun.of(List.of("tar", "xzf", new File(dist).getAbsolutePath(), "-C",
                home.toString(), "--strip-components=1"), null, 120);
        assertEquals(untar.output(), 0, untar.exitCode());
        KarafProcess k = new KarafProcess(home, freePort());
        k.set("org.apache.karaf.shell.cfg", "sshPort", String.valueOf(k.ssh));
        k.set("org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        k.http = freePort();
        k.set("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(k.http));
        k.set("org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort()));
        k.set("org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort()));
        k.set("org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1");
        k.set("org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1");
        return k;
    }

    Path home() {
        return home;
    }

    /** The port of its REST API and web console. */
    int httpPort() {
        return http;
    }

    /** Sets {@code key = value} in {@code etc/<cfg>} (replacing any line for that key). */
    void set(String cfg, String key, String value) throws IOException {
        Path file = home.resolve("etc").resolve(cfg);
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        lines.removeIf(l -> l.matches("\\s*" + Pattern.quote(key) + "\\s*[=:].*"));
        lines.add(key + " = " + value);
        Files.write(file, lines);
    }

    /**
     * Puts this gateway's embedded broker on a port of its own with {@code password}, the MQTT adaptor on it, and no
     * simulated things (the only MQTT traffic is the test's); returns the broker's URL. Before {@link #start()}.
     */
    String ownBroker(String password) throws IOException {
        String url = "tcp://127.0.0.1:" + freePort();
        set("org.betaas.broker.cfg", "port", url.substring(url.lastIndexOf(':') + 1));
        set("org.betaas.broker.cfg", "password", password);
        set("org.betaas.mqtt.cfg", "broker.url", url);
        set("org.betaas.mqtt.cfg", "password", password);
        set("org.betaas.mqtt.cfg", "reconnect.max.delay.s", "2");
        set("org.betaas.simulator.cfg", "enabled", "false");
        set("org.betaas.simulator.cfg", "broker.url", url);
        return url;
    }

    /**
     * Starts {@code bin/karaf daemon} with a 256 MiB heap (console output appended to {@code console.log});
     * returns at once.
     */
    void start() throws IOException {
        start("256m");
    }

    /**
     * Starts {@code bin/karaf daemon} with {@code JAVA_MAX_MEM} set to {@code maxMemory}, or unset (with
     * {@code EXTRA_JAVA_OPTS}) when it is null, so that bin/setenv's defaults apply.
     */
    void start(String maxMemory) throws IOException {
        assertTrue("Karaf already running", karaf == null || !karaf.isAlive());
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        pb.environment().remove("EXTRA_JAVA_OPTS");
        pb.environment().remove("JAVA_MAX_MEM");
        if (maxMemory != null) {
            pb.environment().put("JAVA_MAX_MEM", maxMemory);
        }
        karaf = pb.start();
    }

    /** {@code bin/stop}, then waits for the Karaf process to exit (killed after 60 s). */
    void stop() throws Exception {
        Process p = karaf;
        if (p == null || !p.isAlive()) {
            return;
        }
        ProcessRun.of(List.of(home.resolve("bin/stop").toString()), null, 60);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue("Karaf still running after bin/stop", !p.isAlive());
        karaf = null;
    }

    /** Kills the Karaf JVM with SIGKILL (a power cut, as far as the gateway's process can tell) and waits for it. */
    void kill() throws Exception {
        Process p = karaf;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertTrue("Karaf still running after SIGKILL", p.waitFor(30, TimeUnit.SECONDS));
        karaf = null;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Runs one shell command over {@code bin/client} and returns what it printed. */
    String client(String command) throws Exception {
        return ProcessRun.of(List.of(home.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a",
                String.valueOf(ssh), "-u", "karaf", "-p", "karaf", "-r", "3", "-d", "1", "-b"), command + "\n", 90)
                .output();
    }

    /**
     * The whole numbers Big Data stored in the last hour for a thing's value {@code name} (as a publisher's sequence
     * numbers), each with how many times it is stored; at most {@code limit} rows read.
     */
    Map<Integer, Integer> storedNumbers(String thingId, String name, int limit) throws Exception {
        Matcher m = Pattern.compile("\\|\\s*" + Pattern.quote(name) + "\\s*\\|\\s*(\\d+)\\.00\\s*\\|")
                .matcher(client("betaas:bigdata-query --since 1h --limit " + limit + " " + thingId));
        Map<Integer, Integer> stored = new TreeMap<>();
        while (m.find()) {
            stored.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
        }
        return stored;
    }

    /** Runs the command until its output satisfies the condition (the shell and components come up). */
    String await(String command, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = client(command);
            if (condition.test(out)) {
                return out;
            }
            Thread.sleep(1000);
        }
        fail("'" + command + "' never gave the expected output; last:\n" + out);
        return out;
    }

    /** The first line of a shell table that mentions {@code id}, or "". */
    static String row(String table, String id) {
        return table.lines().filter(l -> l.contains(id)).findFirst().orElse("");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
