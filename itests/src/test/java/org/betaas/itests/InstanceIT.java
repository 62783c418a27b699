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
import java.util.Set;
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
 * methods, which run in name order (the kill and the return are last).
 *
 * <p>VMs: gw-1 cannot host any (its libvirt URI reaches no hypervisor); gw-2 and gw-3 run the small x86_64 test
 * guests under QEMU/TCG on the host's one libvirtd ({@code qemu:///system}), where each domain records the gateway
 * that made it, so each gateway's VM Manager lists only its own. gw-3's cores count double ({@code cpu.speed = 2}
 * in its placement configuration, which it reports to its peers). The domains the test made are destroyed at the
 * end.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class InstanceIT {

    private static final String INSTANCE = "it-home";
    private static final String KEY = "instance-key-of-the-integration-test";
    private static final String[] IDS = {"gw-1", "gw-2", "gw-3"};
    private static final long KEEP_ALIVE_MS = 15_000;

    private static final String TEMPLATE = "service-test-x86_64";
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    private static Path work;
    private static int brokerPort;
    private static Process broker;
    private static final Map<String, Gateway> GATEWAYS = new LinkedHashMap<>();
    /** The VM that b2 placed through gw-1, and the peer it landed on (killed by z1). */
    private static String placedVm;
    private static String placedOn;
    /** Set by z1: where the VM was re-placed, and as which VM. */
    private static String replacedOn;
    private static String replacedVm;

    private record Gateway(String id, Path home, int sshPort, Process process) {
    }

    @BeforeClass
    public static void startInstance() throws Exception {
        File dist = new File(System.getProperty("betaas.distribution",
                "../assembly/target/betaas-gateway-0.1.0-SNAPSHOT.tar.gz"));
        Assume.assumeTrue("distribution not built: " + dist, dist.isFile());
        Assume.assumeTrue("mosquitto not installed (itests/host/setup)", new File("/usr/sbin/mosquitto").canExecute()
                && new File("/usr/bin/mosquitto_pub").canExecute());
        Assume.assumeTrue("libvirtd not running (itests/host/setup)",
                ProcessRun.of(List.of("virsh", "-c", "qemu:///system", "version"), null, 30).exitCode() == 0);
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
        for (String vm : new String[] {placedVm, replacedVm}) {
            if (vm != null) { // a killed gateway's guest outlives it; its return should have destroyed it
                ProcessRun.of(List.of("virsh", "-c", "qemu:///system", "destroy", "betaas-" + vm), null, 30);
                ProcessRun.of(List.of("virsh", "-c", "qemu:///system", "undefine", "betaas-" + vm), null, 30);
            }
        }
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

    /**
     * gw-1 cannot host VMs, so the TaaS Resources Manager of gw-1 places a VM requested there on a peer: the one the
     * deciding rule names (its placement-explain), and that peer's own VM Manager runs it.
     */
    @Test
    public void b2_aVmRequestedOnAGatewayThatCannotHostItRunsOnThePeerThePolicyPicks() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        String explain = null;
        String decided = null;
        String deployed = null;
        // The policy may separate two alike peers by their live figures (e.g. the tightest memory fit), which can
        // change between the explanation and the deploy: then the VM is removed and the pair taken again.
        for (int attempt = 1; attempt <= 3; attempt++) {
            explain = await("gw-1's placement sees both peers able to host " + TEMPLATE, 60_000, () -> {
                String o = client(gw1, "betaas:placement-explain " + TEMPLATE);
                return o.contains("Peers: 2 known") && o.matches("(?s).*\\n\\s+\\d+\\. gw-2: kept.*")
                        && o.matches("(?s).*\\n\\s+\\d+\\. gw-3: kept.*") ? o : null;
            });
            decided = group(explain, "\nDecision    LOCAL on gateway (\\S+)\n");
            deployed = client(gw1, "betaas:vm-deploy " + TEMPLATE);
            Matcher m = Pattern.compile("Deployed VM (\\S+) from " + TEMPLATE + " on libvirt@(gw-\\d): RUNNING")
                    .matcher(deployed);
            assertTrue(deployed, m.find());
            placedVm = m.group(1);
            placedOn = m.group(2);
            if (placedOn.equals(decided)) {
                break;
            }
            System.out.println("InstanceIT: attempt " + attempt + ": explained " + decided + ", deployed on " + placedOn
                    + " (figures changed in between): removing it and asking again");
            client(GATEWAYS.get(placedOn), "betaas:vm-destroy " + placedVm);
        }
        System.out.println("InstanceIT: placement-explain " + TEMPLATE + " on gw-1:\n" + explain);
        assertTrue(explain, explain.matches("(?s).*\\n\\s+\\d+\\. gw-1: dropped \\[not-capable\\].*"));
        String rule = group(explain, "\\d+\\. Decided by rule ([a-z-]+):");
        Map<String, Double> power = new LinkedHashMap<>();
        Map<String, Double> freeMemory = new LinkedHashMap<>();
        Matcher kept = Pattern.compile("\\d+\\. (gw-\\d): kept, .*?predicted free [0-9.]+ vCPU, (\\d+) MiB.*power "
                + "(\\d+\\.\\d+)").matcher(explain);
        while (kept.find()) {
            freeMemory.put(kept.group(1), Double.parseDouble(kept.group(2)));
            power.put(kept.group(1), Double.parseDouble(kept.group(3)));
        }
        assertEquals(explain, Set.of("gw-2", "gw-3"), power.keySet());
        // gw-3 reports cpu.speed 2: its power is scaled as the local gateway's is (cores x speed)
        assertEquals(explain, 2 * power.get("gw-2"), power.get("gw-3"), 1e-6);
        String otherPeer = decided.equals("gw-2") ? "gw-3" : "gw-2";
        // the deciding rule's own claim holds for the figures it names
        if (rule.equals("most-powerful")) {
            assertTrue("most-powerful must name the most powerful peer:\n" + explain,
                    power.get(decided) >= power.get(otherPeer));
        } else if (explain.contains(decided + " is the tightest fit")) {
            assertTrue("the tightest fit must leave the least memory:\n" + explain,
                    freeMemory.get(decided) <= freeMemory.get(otherPeer));
        } else {
            assertTrue("a rule that picks among gateways:\n" + explain,
                    Set.of("keep-room-for-largest", "upper-bound-first").contains(rule));
        }
        System.out.println("InstanceIT: " + TEMPLATE + " requested on gw-1 runs on " + placedOn + " as " + placedVm
                + " (rule " + rule + " named " + decided + ")");
        assertEquals("the VM runs where the deciding rule said:\n" + explain + "\n" + deployed, decided, placedOn);
        // the peer's own VM Manager runs it; nobody else lists it
        String there = client(GATEWAYS.get(placedOn), "betaas:vm-list");
        assertTrue(there, vmRow(there, placedVm).contains("RUNNING"));
        for (String other : IDS) {
            if (!other.equals(placedOn)) {
                String list = client(GATEWAYS.get(other), "betaas:vm-list");
                assertEquals(other + " must not list " + placedVm + ":\n" + list, "", vmRow(list, placedVm));
            }
        }
        // and the instance sees it there
        await("gw-1's view shows the VM on " + placedOn, 15_000,
                () -> vmCount(client(gw1, "betaas:gateway-list"), placedOn) == 1);
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

    /**
     * {@code kill -9} of the gateway that runs the VM: detected within the keep-alive, trust lowered, and the VM
     * re-placed by the coordinator (gw-1, the lowest id) on the remaining gateway that can host it.
     */
    @Test
    public void z1_aKilledGatewayIsDetectedLosesTrustAndItsVmIsReplacedOnTheRemainingGateway() throws Exception {
        Gateway gw1 = GATEWAYS.get("gw-1");
        String victim = placedOn != null ? placedOn : "gw-3";
        String survivor = victim.equals("gw-3") ? "gw-2" : "gw-3";
        Gateway dead = GATEWAYS.get(victim);
        Gateway alive = GATEWAYS.get(survivor);
        double trustBefore = trust(client(gw1, "betaas:gateway-list"), victim);
        String before = client(alive, "betaas:vm-list");
        // one libvirtd for all: a while after the deploy (and its reconciliations), the other still does not list it
        assertEquals(survivor + " lists only its own VMs:\n" + before, "", vmRow(before, placedVm));
        long killedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        dead.process().destroyForcibly(); // SIGKILL: bin/karaf daemon execs the JVM
        assertTrue(dead.process().waitFor(10, TimeUnit.SECONDS));
        String seen = await("gw-1 sees " + victim + " offline", KEEP_ALIVE_MS + 5_000, () -> {
            String out = client(gw1, "betaas:gateway-list");
            return row(out, victim).contains(" no ") ? out : null;
        });
        long detectedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("InstanceIT: kill -9 of " + victim + " detected by gw-1 after at most " + detectedMs + " ms");
        assertTrue("detected after " + detectedMs + " ms", detectedMs <= KEEP_ALIVE_MS);
        assertTrue(seen, trust(seen, victim) < trustBefore);
        String other = await(survivor + " sees " + victim + " offline", KEEP_ALIVE_MS, () -> {
            String out = client(alive, "betaas:gateway-list");
            return row(out, victim).contains(" no ") ? out : null;
        });
        assertTrue(other, row(other, "gw-1").contains("yes"));
        String placement = await("gw-1's placement no longer offers " + victim, 10_000, () -> {
            String o = client(gw1, "betaas:placement-explain " + TEMPLATE);
            return o.contains("Peers: 1 known") ? o : null;
        });
        assertFalse(placement, placement.contains(victim + ":"));

        assertTrue("b2 placed no VM to re-place", placedVm != null);
        // re-placed within the keep-alive plus a deploy request or two (the first target may fail), generously
        long bound = KEEP_ALIVE_MS + 2 * REQUEST_TIMEOUT_MS + 30_000;
        String after = await(placedVm + " of " + victim + " re-placed on " + survivor, bound, () -> {
            String list = client(alive, "betaas:vm-list");
            return newVm(before, list) != null ? list : null;
        });
        long observedMs = (System.nanoTime() - t0) / 1_000_000;
        replacedVm = newVm(before, after);
        replacedOn = survivor;
        assertTrue(after, vmRow(after, replacedVm).contains("RUNNING"));
        // the coordinator's own record of it, with when it was done (its retained status)
        Pattern record = Pattern.compile("\\{\"fromGateway\":\"" + victim + "\",\"vmId\":\"" + Pattern.quote(placedVm)
                + "\",\"template\":\"" + TEMPLATE + "\",\"location\":\"([^\"]+)\",\"newVmId\":\"([^\"]+)\","
                + "\"at\":(\\d+)\\}");
        String status = await("gw-1 lists the re-placement in its status", 15_000, () -> {
            String st = retainedStatus("gw-1");
            return record.matcher(st).find() ? st : null;
        });
        Matcher r = record.matcher(status);
        assertTrue(status, r.find());
        assertEquals(status, survivor, r.group(1));
        assertEquals(status, replacedVm, r.group(2));
        long replacedMs = Long.parseLong(r.group(3)) - killedAt;
        System.out.println("InstanceIT: VM " + placedVm + " of " + victim + " re-placed on " + survivor + " as "
                + replacedVm + " " + replacedMs + " ms after kill -9 (coordinator gw-1's record); seen RUNNING in "
                + survivor + "'s betaas:vm-list after at most " + observedMs + " ms");
        assertTrue(replacedMs + " ms", replacedMs >= 0 && replacedMs <= bound);
    }

    /**
     * The killed gateway comes back: it destroys its stale copy of the VM that was re-placed while it was away (its
     * records still held it), so the instance runs the VM once, where it was re-placed.
     */
    @Test
    public void z2_theKilledGatewayReturnsAndItsStaleCopyIsReconciledNotDuplicated() throws Exception {
        assertTrue("z1 re-placed no VM", placedVm != null && replacedVm != null);
        Gateway gw1 = GATEWAYS.get("gw-1");
        // kill -9 ended the gateway, not its guest: libvirtd still runs the stale copy
        assertTrue(virsh("domstate", "betaas-" + placedVm).contains("running"));
        Gateway old = GATEWAYS.get(placedOn);
        Gateway back = new Gateway(old.id(), old.home(), old.sshPort(), start(old.home()));
        GATEWAYS.put(back.id(), back);
        await(back.id() + " joined again", 180_000,
                () -> client(back, "betaas:instance-info").contains("State       JOINED"));
        await("gw-1 sees " + back.id() + " online again", 30_000,
                () -> row(client(gw1, "betaas:gateway-list"), back.id()).contains("yes"));
        // its records held the VM (RUNNING before the kill); the re-placement listed by gw-1 makes it drop it
        String list = await(back.id() + " no longer has " + placedVm, 60_000, () -> {
            String o = client(back, "betaas:vm-list");
            return o.contains("Id") && vmRow(o, placedVm).isEmpty() ? o : null;
        });
        assertEquals(list, 0, activeCopies(list));
        assertTrue("the stale guest is gone from libvirtd",
                virsh("list", "--all", "--name").lines().noneMatch(l -> l.trim().equals("betaas-" + placedVm)));
        assertTrue(virsh("domstate", "betaas-" + replacedVm).contains("running"));
        String survivor = client(GATEWAYS.get(replacedOn), "betaas:vm-list");
        assertEquals("exactly one copy, the re-placed one:\n" + survivor, 1, activeCopies(survivor));
        assertTrue(survivor, vmRow(survivor, replacedVm).contains("RUNNING"));
        assertEquals(0, activeCopies(client(gw1, "betaas:vm-list")));
        // peers see it with no VM, and its trust stays lowered (missed heartbeats within the trust window)
        String view = await("gw-1 sees " + back.id() + " without VMs", 30_000, () -> {
            String o = client(gw1, "betaas:gateway-list");
            return row(o, back.id()).contains("yes") && vmCount(o, back.id()) == 0 ? o : null;
        });
        assertTrue(view, trust(view, back.id()) < 1.0);
    }

    private static String virsh(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        command.addAll(List.of(args));
        return ProcessRun.of(command, null, 30).output();
    }

    /** The id of a VM of the test template RUNNING in {@code after} that {@code before} did not list, or null. */
    private static String newVm(String before, String after) {
        for (String line : after.split("\\R")) {
            String[] cells = line.split("\\s*\\|\\s*");
            if (cells.length > 3 && cells[1].trim().equals(TEMPLATE) && line.contains("RUNNING")
                    && vmRow(before, cells[0].trim()).isEmpty()) {
                return cells[0].trim();
            }
        }
        return null;
    }

    /** VMs of the test template in a betaas:vm-list that are running or could run again. */
    private static int activeCopies(String vmList) {
        int n = 0;
        for (String line : vmList.split("\\R")) {
            if (line.contains(TEMPLATE) && (line.contains("RUNNING") || line.contains("STOPPED")
                    || line.contains("DEFINED"))) {
                n++;
            }
        }
        return n;
    }

    /** The VMs column of a gateway in betaas:gateway-list, -1 when not listed. */
    private static int vmCount(String table, String id) {
        for (String line : table.split("\\R")) {
            String[] cells = line.split("\\|");
            if (cells.length > 4 && cells[0].trim().startsWith(id)) {
                return Integer.parseInt(cells[4].trim());
            }
        }
        return -1;
    }

    /** The row of a VM in betaas:vm-list, or "". */
    private static String vmRow(String vmList, String vmId) {
        for (String line : vmList.split("\\R")) {
            if (line.trim().startsWith(vmId + " ")) {
                return line;
            }
        }
        return "";
    }

    /** A gateway's retained status as any broker user reads it, with the payload's quotes unescaped. */
    private static String retainedStatus(String id) throws Exception {
        ProcessRun r = run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(brokerPort),
                "-u", "intruder", "-P", "intruder-pw", "-t", "betaas/" + INSTANCE + "/gateways/" + id + "/status",
                "-C", "1", "-W", "10"), 15);
        assertEquals(r.output(), 0, r.exitCode());
        return r.output().replace("\\\"", "\"");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue("no " + regex + " in\n" + text, m.find());
        return m.group(1);
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
        // the small x86_64 test templates (their images are built in the source tree by itests/host/setup)
        set(etc.resolve("org.betaas.vm.templates.cfg"), "folder",
                new File("../vm-templates").getAbsoluteFile().toPath().normalize().toString());
        Path libvirt = etc.resolve("org.betaas.vm.libvirt.cfg");
        set(libvirt, "domainType", "qemu"); // KVM guests hang on these hosts
        set(libvirt, "uri", id.equals("gw-1")
                ? "test://" + work.resolve("no-hypervisor-here.xml") // no such file: cannot run VMs
                : "qemu:///system");
        set(etc.resolve("org.betaas.placement.cfg"), "cpu.speed", id.equals("gw-3") ? "2.0" : "1.0");
        return new Gateway(id, home, ssh, start(home));
    }

    private static Process start(Path home) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        pb.environment().put("JAVA_MAX_MEM", "256m");
        return pb.start();
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
