package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * A gateway whose libvirtd and Big Data database hang — accept connections and never answer, as a stopped or
 * deadlocked daemon does (here sockets nobody reads, so that the host's own libvirtd is left alone) — still comes up
 * whole, answers its operator and keeps publishing its status on the instance bus: peers that got no status for
 * 15 s would take it for offline and re-place VMs that still run. The real distribution ({@code bin/karaf daemon})
 * joined to an instance on a local mosquitto.
 */
public class HungDependenciesIT {

    private Path work;
    private ServerSocketChannel silentLibvirtd;
    private ServerSocketChannel silentPostgres;
    private Process broker;
    private KarafProcess karaf;

    @Test
    public void theGatewayComesUpAnswersAndPublishesItsStatusWhileLibvirtdAndItsDatabaseDoNotAnswer()
            throws Exception {
        Assume.assumeTrue("mosquitto not installed (itests/host/setup)",
                new File("/usr/sbin/mosquitto").canExecute() && new File("/usr/bin/mosquitto_sub").canExecute());
        work = Files.createTempDirectory("betaas-hung"); // short: a unix socket path has at most 107 bytes
        Path socket = work.resolve("libvirt-sock");
        silentLibvirtd = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        silentLibvirtd.bind(UnixDomainSocketAddress.of(socket));
        silentPostgres = ServerSocketChannel.open();
        silentPostgres.bind(new InetSocketAddress("127.0.0.1", 0));
        int postgresPort = ((InetSocketAddress) silentPostgres.getLocalAddress()).getPort();
        int brokerPort = KarafProcess.freePort();
        broker = new ProcessBuilder("/usr/sbin/mosquitto", "-p", String.valueOf(brokerPort)).redirectErrorStream(true)
                .redirectOutput(work.resolve("mosquitto.log").toFile()).start();
        awaitListening(brokerPort);

        karaf = KarafProcess.unpack("hung-dependencies");
        karaf.set("org.betaas.vm.libvirt.cfg", "uri", "qemu+unix:///system?socket=" + socket);
        karaf.set("org.betaas.vm.libvirt.cfg", "answerTimeoutSeconds", "2");
        karaf.set("org.betaas.bigdata.cfg", "jdbc.url", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/betaas");
        karaf.set("org.betaas.instance.cfg", "broker.url", "tcp://127.0.0.1:" + brokerPort);
        karaf.set("org.betaas.instance.cfg", "instance.key", "hung-hypervisor-instance-key");
        karaf.start();

        // every component comes up: the Big Data Manager does not hold the feature deployer waiting for its database
        // (it did for good; now it waits 5 s, so the first answers may still list it and those after it as starting)
        List<String> late = List.of("BigDataComponent", "DependabilityComponent", "RestServlet", "BleAdaptor");
        String info = karaf.await("betaas:gateway-info", out -> out.contains("has not answered since")
                && late.stream().allMatch(c -> KarafProcess.row(out, c).trim().endsWith("| ACTIVE")));
        String libvirt = KarafProcess.row(info, "Hypervisor  libvirt");
        assertTrue(info, libvirt.contains("NOT reachable"));
        assertTrue(info, libvirt.contains("is it hung?"));
        RestClient rest = new RestClient(karaf.httpPort());
        rest.awaitUp();
        String bigdata = rest.expect(200, "GET", "/bigdata", RestClient.ADMIN, null);
        assertTrue(bigdata, bigdata.contains("127.0.0.1:" + postgresPort)
                && (bigdata.contains("is being opened") || bigdata.contains("cannot be used")));

        // a fresh status every period (5 s): three within 40 s, none of them the retained one from before
        ProcessRun statuses = ProcessRun.of(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                String.valueOf(brokerPort), "-R", "-C", "3", "-W", "40", "-t", "betaas/+/gateways/+/status"),
                null, 60);
        assertEquals("statuses while libvirtd hangs: " + statuses.output(), 0, statuses.exitCode());
        assertEquals(statuses.output(), 3, statuses.output().lines().count());

        // what asks the hypervisor answers without it: the VM list, a placement (nowhere to host a VM locally)
        String vms = karaf.client("betaas:vm-list");
        assertTrue(vms, !vms.startsWith("timed out") && !vms.contains("Error executing command"));
        String explain = karaf.client("betaas:placement-explain service-test-x86_64");
        assertTrue(explain, explain.contains("NOT reachable, libvirtd at qemu+unix:///system?socket=" + socket
                + " has not answered since"));
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("mosquitto not listening on " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    @After
    public void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
        if (silentLibvirtd != null) {
            silentLibvirtd.close();
        }
        if (silentPostgres != null) {
            silentPostgres.close();
        }
        if (work != null) {
            ProcessRun.of(List.of("rm", "-rf", work.toString()), null, 30);
        }
    }
}
