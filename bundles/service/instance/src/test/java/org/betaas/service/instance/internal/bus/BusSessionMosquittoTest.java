package org.betaas.service.instance.internal.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.InstanceInfo.MembershipState;
import org.betaas.api.instance.PeerGateway;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Two sessions and an intruder against a real mosquitto on 127.0.0.1 (skipped where mosquitto is missing). */
public class BusSessionMosquittoTest {

    private static final String KEY = "instance-key-for-the-unit-test";
    /** The broker's configuration file: deleted after each test, once {@link #stop()} stopped the broker. */
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();
    private Process broker;
    private int port;
    private BusSession a;
    private BusSession b;

    @Before
    public void startBroker() throws Exception {
        Mosquitto.require(Mosquitto.BINARY);
        port = Mosquitto.freePort();
        Path conf = tmp.newFile("mosquitto.conf").toPath();
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        broker = Mosquitto.start(conf, port, ProcessBuilder.Redirect.DISCARD);
    }

    @After
    public void stop() throws Exception {
        for (BusSession s : new BusSession[] {a, b}) {
            if (s != null) {
                s.close(true);
            }
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private BusSession session(String id, String key) {
        return session(id, key, new FakeLocal(id));
    }

    private BusSession session(String id, String key, FakeLocal local) {
        BusSession.Options o = new BusSession.Options("tcp://127.0.0.1:" + port, "", "", new InstanceKey(key),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(3),
                Duration.ofMinutes(10), 0);
        BusSession s = new BusSession("test", id, o, local, Clock.systemUTC(), d -> { });
        s.start();
        return s;
    }

    @Test
    public void twoGatewaysSeeEachOtherServeRequestsAndNoticeALeave() throws Exception {
        a = session("gw-a", KEY);
        b = session("gw-b", KEY);
        await("both see each other", () -> online(a, "gw-b") && online(b, "gw-a"));

        PeerReply ok = a.request("gw-b", new PeerRequest(null, PeerRequest.DEPLOY, null, "tiny", null, null, "t"));
        assertTrue(ok.error(), ok.ok());
        assertEquals("vm-on-gw-b", ok.vm().id());
        PeerReply refused = a.request("gw-b", new PeerRequest(null, PeerRequest.STOP, null, null, null, "x", "t"));
        assertFalse(refused.ok());
        assertTrue(refused.error(), refused.error().contains("no VM x"));

        b.close(true);
        await("leave noticed", () -> !online(a, "gw-b"));
        PeerReply gone = a.request("gw-b", new PeerRequest(null, PeerRequest.STATUS, null, null, null, null, "t"));
        assertTrue(gone.error(), gone.error().contains("not an online member"));
    }

    @Test
    public void theVmsOfAFailedGatewayAreReplacedOnceAndItsStaleCopiesReconciledWhenItReturns() throws Exception {
        FakeLocal la = new FakeLocal("gw-a");
        FakeLocal lb = new FakeLocal("gw-b");
        FakeLocal lc = new FakeLocal("gw-c");
        lc.vms.add(new GatewayStatus.VmSummary("vm-c1", "tiny", "libvirt", "RUNNING", 1, 64, 0));
        a = session("gw-a", KEY, la);
        b = session("gw-b", KEY, lb);
        BusSession c = session("gw-c", KEY, lc);
        await("a and b see c's VM", () -> hasVm(a, "gw-c") && hasVm(b, "gw-c") && online(b, "gw-a"));
        killConnection(c);
        await("a re-placed vm-c1", () -> la.replacedHere.contains("vm-c1")
                && a.replacements().size() == 1);
        Thread.sleep(1_500); // b must not re-place it too
        assertEquals(List.of(), lb.replacedHere);
        assertEquals(List.of("vm-c1"), la.replacedHere);

        FakeLocal back = new FakeLocal("gw-c");
        back.vms.add(new GatewayStatus.VmSummary("vm-c1", "tiny", "libvirt", "RUNNING", 1, 64, 0));
        back.notReadyFor.set(1); // its VM Manager comes up after its Instance Manager
        BusSession c2 = session("gw-c", KEY, back);
        try {
            await("the returning gateway destroys its stale copy", () -> back.reconciled.contains("vm-c1"));
            assertTrue("asked again after a first 'not yet'", back.attempts.get() >= 2);
            assertEquals(List.of("vm-c1"), back.reconciled);
            assertEquals(List.of("vm-c1"), la.replacedHere);
        } finally {
            c2.close(true);
        }
    }

    private static boolean hasVm(BusSession s, String peer) {
        PeerGateway p = peer(s, peer);
        return p != null && p.online() && p.status() != null && !p.status().vms().isEmpty();
    }

    @Test
    public void aGatewayWithTheWrongKeyIsNeverSeenAndItsMessagesAreCounted() throws Exception {
        a = session("gw-a", KEY);
        b = session("gw-b", "some-other-key-of-a-non-member");
        await("a joined", () -> a.state() == MembershipState.JOINED && b.state() == MembershipState.JOINED);
        await("b's status dropped", () -> a.counters().get("bad_signature") >= 2);
        assertTrue(a.peers().isEmpty());
    }

    @Test
    public void aReplayedStatusIsRejectedAndAKilledConnectionIsDetectedByItsLastWill() throws Exception {
        a = session("gw-a", KEY);
        b = session("gw-b", KEY);
        await("a sees b", () -> online(a, "gw-b"));
        // capture b's retained status and publish it again, as an attacker with broker access would
        MqttClient spy = new MqttClient("tcp://127.0.0.1:" + port, "spy", new MemoryPersistence());
        spy.connect();
        byte[][] captured = new byte[1][];
        spy.subscribe("betaas/test/gateways/gw-b/status", (t, m) -> captured[0] = m.getPayload());
        await("captured", () -> captured[0] != null);
        long before = a.counters().get("replayed");
        spy.publish("betaas/test/gateways/gw-b/status", captured[0], 1, false);
        await("replay counted", () -> a.counters().get("replayed") > before);
        spy.disconnect();
        spy.close();

        // an abrupt end of b's connection: the broker publishes its last will
        double trustBefore = peer(a, "gw-b").trust();
        long t0 = System.nanoTime();
        killConnection(b);
        await("will noticed", () -> !online(a, "gw-b"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("detected in " + ms + " ms", ms < 3_000 * 3 / 2 + 1_000);
        assertTrue(peer(a, "gw-b").trust() < trustBefore);
    }

    /** Closes the TCP connection without DISCONNECT, as a killed process does. */
    private static void killConnection(BusSession s) throws Exception {
        java.lang.reflect.Field f = BusSession.class.getDeclaredField("client");
        f.setAccessible(true);
        org.eclipse.paho.client.mqttv3.MqttAsyncClient c = (org.eclipse.paho.client.mqttv3.MqttAsyncClient) f.get(s);
        java.lang.reflect.Field closed = BusSession.class.getDeclaredField("closed");
        closed.setAccessible(true);
        closed.set(s, true);
        c.disconnectForcibly(0, 0, false);
    }

    private static boolean online(BusSession s, String peer) {
        PeerGateway p = peer(s, peer);
        return p != null && p.online();
    }

    private static PeerGateway peer(BusSession s, String id) {
        return s.peers().stream().filter(p -> p.gatewayId().equals(id)).findFirst().orElse(null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Mosquitto.await(what, 15_000, condition);
    }

    static final class FakeLocal implements LocalSide {
        private final String id;
        final List<GatewayStatus.VmSummary> vms = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> replacedHere = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> reconciled = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger notReadyFor = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        FakeLocal(String id) {
            this.id = id;
        }

        @Override
        public GatewayStatus status(String session, Map<String, Double> peerTrust,
                                    List<GatewayStatus.Replacement> replaced, int networkErrors) {
            return new GatewayStatus(id, "t", true, session, null, null, vms, null, null, false, peerTrust, replaced,
                    System.currentTimeMillis());
        }

        @Override
        public PeerReply serve(PeerRequest r, String from) {
            if (PeerRequest.DEPLOY.equals(r.op())) {
                return new PeerReply(r.correlationId(), true, null, new GatewayStatus.VmSummary("vm-on-" + id,
                        r.template(), "libvirt", "RUNNING", 1, 64, 0), null);
            }
            return new PeerReply(r.correlationId(), false, "no VM " + r.vmId(), null, null);
        }

        @Override
        public java.util.Optional<GatewayStatus.Replacement> replace(GatewayStatus.VmSummary vm, String failed) {
            replacedHere.add(vm.id());
            return java.util.Optional.of(new GatewayStatus.Replacement(failed, vm.id(), vm.template(), id,
                    "new-" + vm.id(), System.currentTimeMillis()));
        }

        @Override
        public boolean reconcile(GatewayStatus.Replacement replacement) {
            attempts.incrementAndGet();
            if (notReadyFor.getAndDecrement() > 0) {
                return false; // e.g. its VM Manager is not up yet
            }
            reconciled.add(replacement.vmId());
            return true;
        }
    }
}
