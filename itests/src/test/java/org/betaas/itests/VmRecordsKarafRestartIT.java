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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * A VM outlives its gateway's Karaf: the real distribution ({@code bin/karaf daemon}) deploys the x86_64 test guest,
 * is stopped and started again, and finds the VM again from its H2 record, still running. Plain JUnit, not Pax
 * Exam: Pax Exam cannot restart its container.
 */
public class VmRecordsKarafRestartIT {

    private static final Pattern DEPLOYED = Pattern.compile("Deployed VM (\\S+) from");

    private Path home;
    private int ssh;
    private Process karaf;
    private String vmId;

    @Test
    public void aVmRecordSurvivesAKarafRestart() throws Exception {
        String dist = System.getProperty("betaas.distribution");
        assertTrue("distribution " + dist + " not built", dist != null && new File(dist).isFile());
        home = Paths.get("target/vm-restart").toAbsolutePath();
        run(List.of("rm", "-rf", home.toString()), null, 60);
        Files.createDirectories(home);
        ProcessRun untar = run(List.of("tar", "xzf", new File(dist).getAbsolutePath(), "-C", home.toString(),
                "--strip-components=1"), null, 120);
        assertEquals(untar.output(), 0, untar.exitCode());
        Path etc = home.resolve("etc");
        ssh = freePort();
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(ssh));
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        set(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", String.valueOf(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryHost", "127.0.0.1");
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerHost", "127.0.0.1");
        set(etc.resolve("org.betaas.vm.templates.cfg"), "folder",
                new File("../vm-templates").getAbsoluteFile().toPath().normalize().toString());
        set(etc.resolve("org.betaas.vm.libvirt.cfg"), "domainType", "qemu"); // KVM guests hang on these hosts

        karaf = start();
        String deployed = await("betaas:vm-deploy --local service-test-x86_64", DEPLOYED.asPredicate());
        Matcher m = DEPLOYED.matcher(deployed);
        assertTrue(deployed, m.find());
        vmId = m.group(1);
        assertTrue(row(client("betaas:vm-list"), vmId).contains("RUNNING"));

        stop(karaf);
        assertTrue("the VM keeps running without Karaf", virsh("domstate", "betaas-" + vmId).contains("running"));

        karaf = start();
        String list = await("betaas:vm-list", out -> row(out, vmId).contains("RUNNING"));
        assertTrue(list, row(list, vmId).contains("service-test-x86_64"));

        assertTrue(client("betaas:vm-destroy " + vmId).contains("Destroyed VM " + vmId));
        assertTrue(virsh("list", "--all", "--name").lines().noneMatch(l -> l.trim().equals("betaas-" + vmId)));
        vmId = null;
    }

    @After
    public void cleanUp() throws Exception {
        if (vmId != null) {
            virsh("destroy", "betaas-" + vmId);
            virsh("undefine", "betaas-" + vmId);
        }
        stop(karaf);
    }

    private Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        pb.environment().put("JAVA_MAX_MEM", "256m");
        return pb.start();
    }

    private void stop(Process p) throws Exception {
        if (p == null || !p.isAlive()) {
            return;
        }
        run(List.of(home.resolve("bin/stop").toString()), null, 60);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs the command until its output satisfies the condition (the shell and components come up). */
    private String await(String command, Predicate<String> condition) throws Exception {
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

    private String client(String command) throws Exception {
        return run(List.of(home.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a", String.valueOf(ssh),
                "-u", "karaf", "-p", "karaf", "-r", "3", "-d", "1", "-b"), command + "\n", 90).output();
    }

    private static String virsh(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        command.addAll(List.of(args));
        return run(command, null, 60).output();
    }

    private static String row(String table, String id) {
        return table.lines().filter(l -> l.contains(id)).findFirst().orElse("");
    }

    private static void set(Path cfg, String key, String value) throws IOException {
        List<String> lines = Files.exists(cfg) ? new ArrayList<>(Files.readAllLines(cfg)) : new ArrayList<>();
        lines.removeIf(l -> l.matches("\\s*" + Pattern.quote(key) + "\\s*[=:].*"));
        lines.add(key + " = " + value);
        Files.write(cfg, lines);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }


    private static ProcessRun run(List<String> command, String stdin, int timeoutSeconds) throws Exception {
        return ProcessRun.of(command, stdin, timeoutSeconds);
    }
}
