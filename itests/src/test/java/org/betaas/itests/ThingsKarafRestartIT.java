package org.betaas.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;

/**
 * The thing registry outlives Karaf: the real distribution ({@code bin/karaf daemon}) receives SenML from
 * {@code mosquitto_pub} on its embedded broker, is stopped with {@code bin/stop} and started again on the same
 * data folder, and lists the thing and its last value before any new MQTT message has arrived. Plain JUnit on
 * {@link KarafProcess}: Pax Exam cannot restart its container.
 */
public class ThingsKarafRestartIT {

    private static final String PASSWORD = "it-restart-secret";
    private static final Pattern SOME_RECEIVED = Pattern.compile("Received\\s+[1-9]");

    private KarafProcess karaf;
    private int broker;

    /**
     * Unpacks and starts a gateway whose embedded broker listens on a port of its own, with no simulated things
     * (the only MQTT traffic is the test's); returns the broker's URL once the MQTT adaptor is connected to it.
     */
    private String startGateway(String name) throws Exception {
        karaf = KarafProcess.unpack(name);
        String url = karaf.ownBroker(PASSWORD);
        broker = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        karaf.start();
        karaf.await("betaas:adaptation-stats", out -> out.contains("Connection  connected to " + url));
        return url;
    }

    @Test
    public void theRegistryComesBackAfterAKarafRestart() throws Exception {
        String url = startGateway("things-restart");
        publish("[{\"bn\":\"it-restart-1:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5}]");
        String before = karaf.await("betaas:thing-list",
                out -> KarafProcess.row(out, "it-restart-1").contains("temperature=21.5 Cel"));
        assertTrue(before, KarafProcess.row(before, "it-restart-1").contains("mqtt"));

        karaf.stop();
        assertTrue("H2 file of the registry", karaf.home().resolve("data/betaas/things.mv.db").toFile().isFile());

        karaf.start();
        String after = karaf.await("betaas:thing-list",
                out -> KarafProcess.row(out, "it-restart-1").contains("temperature=21.5 Cel"));
        // listed from the registry's own storage: the MQTT adaptor has received nothing since the start
        String stats = karaf.client("betaas:adaptation-stats");
        assertFalse("a message arrived before the check:\n" + stats, SOME_RECEIVED.matcher(stats).find());
        assertTrue(after, KarafProcess.row(after, "it-restart-1").contains("sensor"));
        String info = karaf.client("betaas:thing-info it-restart-1");
        assertTrue(info, info.contains("21.5 Cel") && info.contains("mqtt"));

        // and the restarted gateway takes new measurements over the same broker
        karaf.await("betaas:adaptation-stats", out -> out.contains("Connection  connected to " + url));
        publish("[{\"bn\":\"it-restart-1:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":22.5}]");
        karaf.await("betaas:thing-list",
                out -> KarafProcess.row(out, "it-restart-1").contains("temperature=22.5 Cel"));
    }

    /**
     * A stream of QoS 1 measurements across {@code bin/stop} and a start: every one the embedded broker acknowledged
     * is stored by Big Data once the gateway is back. The publisher (a persistent session, as a sensor gateway's
     * would be) sends each until acknowledged, reconnecting while the gateway is down; the stop comes mid-stream,
     * with measurements on their way through the broker, the MQTT adaptor, the registry and Big Data.
     */
    @Test
    public void noAcknowledgedMeasurementIsLostAcrossAKarafRestart() throws Exception {
        int total = 2000;
        Publisher publisher = new Publisher(startGateway("measurements-restart"), total);
        publisher.awaitSent(total / 4);
        karaf.stop();
        int beforeStart = publisher.sent.get();
        assertTrue("the stream goes on after the restart: " + beforeStart + " of " + total + " sent before it",
                beforeStart < total);
        karaf.start();
        publisher.finish();

        Map<Integer, Integer> stored = stored(total, i -> false);
        List<Integer> missing = missing(stored, total, i -> false);
        assertTrue("acknowledged measurements not stored (" + missing.size() + " of " + total + ", " + beforeStart
                + " sent before the start), first ones: " + first(missing), missing.isEmpty());
        assertStoredOnce(stored, List.of(beforeStart));
    }

    /**
     * A gateway killed mid-stream (SIGKILL: a power cut or the kernel's OOM killer, as far as the process can tell)
     * some time after a clean restart comes back whole: what it stored before stays, once; it takes the stream
     * again; and nothing it had already received comes back as new. The embedded broker's queue index, written at
     * the clean restart, was left stale by the kill: the broker then delivered again the values that had waited
     * for the MQTT adaptor at that restart, and Big Data stored them a second time. What the crash may lose is the
     * last moments before it (what the broker held in memory for the adaptor, what was on its way to Big Data's
     * database): the values of the last 5 s before the kill may each be missing, never stored twice, except the one
     * the publisher was sending at the kill (it sends that again, as MQTT's QoS 1 allows).
     */
    @Test
    public void aGatewayKilledMidStreamComesBackWithItsMeasurementsWhole() throws Exception {
        int total = 2500;
        Publisher publisher = new Publisher(startGateway("measurements-kill"), total);
        publisher.awaitSent(500);
        karaf.stop();
        int atStop = publisher.sent.get();
        karaf.start();
        publisher.awaitSent(2000);
        karaf.kill();
        int atKill = publisher.sent.get(); // the value on its way when the gateway died
        assertTrue("the stream goes on after the kill: " + atKill + " of " + total + " sent before it",
                atKill < total);
        karaf.start();
        publisher.finish();

        IntPredicate lastMoments = i -> i >= atKill - 1000 && i <= atKill;
        Map<Integer, Integer> stored = stored(total, lastMoments);
        List<Integer> missing = missing(stored, total, lastMoments);
        assertTrue("values missing outside the last 5 s before the kill at " + atKill + ": " + first(missing),
                missing.isEmpty());
        assertStoredOnce(stored, List.of(atStop, atKill));
        System.out.println("Killed at value " + atKill + ": " + missing(stored, total, i -> false).size()
                + " of the 1,000 before it lost");
    }

    /**
     * Polls Big Data until every value 0..total-1 that {@code mayBeLost} does not excuse is stored (or 120 s passed);
     * returns how many times each value is stored.
     */
    private Map<Integer, Integer> stored(int total, IntPredicate mayBeLost) throws Exception {
        Map<Integer, Integer> stored;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            stored = karaf.storedNumbers("it-seq-1", "seq", 2 * total);
            if (missing(stored, total, mayBeLost).isEmpty() || System.nanoTime() > until) {
                return stored;
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Every value stored once, but those {@code resent}: each on its way when the gateway went down, which the
     * publisher sends again as it never got the acknowledgement (QoS 1: at least once).
     */
    private static void assertStoredOnce(Map<Integer, Integer> stored, List<Integer> resent) {
        List<Integer> twice = new ArrayList<>();
        stored.forEach((value, times) -> {
            if (times > (resent.contains(value) ? 2 : 1)) {
                twice.add(value);
            }
        });
        assertTrue("stored more than once (down while sending " + resent + "): " + first(twice), twice.isEmpty());
    }

    private static List<Integer> missing(Map<Integer, Integer> stored, int total, IntPredicate mayBeLost) {
        return IntStream.range(0, total).filter(i -> !stored.containsKey(i) && !mayBeLost.test(i)).boxed().toList();
    }

    private static List<Integer> first(List<Integer> values) {
        return values.subList(0, Math.min(30, values.size()));
    }

    /**
     * Publishes the SenML values 0..total-1 at QoS 1 on its own thread, from a persistent session, at a sensor's
     * pace (200/s), so that the stream outlasts a restart; each value is sent again (reconnecting) until acknowledged.
     */
    private final class Publisher {
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Publisher(String url, int total) {
            thread = new Thread(() -> {
                try {
                    publishUntilAcknowledged(url, total, sent);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "it-restart-publisher");
            thread.start();
        }

        void awaitSent(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (sent.get() < n && thread.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(n + " values published: " + sent.get() + " " + failure.get(), sent.get() >= n);
        }

        void finish() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(240));
            assertNull("publisher: " + failure.get(), failure.get());
            assertFalse("publisher still running", thread.isAlive());
        }
    }

    /** Publishes the SenML values 0..total-1 at QoS 1, each sent again (reconnecting) until acknowledged. */
    private void publishUntilAcknowledged(String url, int total, AtomicInteger sent) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setUserName("betaas");
        o.setPassword(PASSWORD.toCharArray());
        o.setConnectionTimeout(5);
        MqttClient c = new MqttClient(url, "it-restart-publisher", new MemoryPersistence());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        try {
            for (int i = 0; i < total; i++) {
                byte[] payload = ("[{\"bn\":\"it-seq-1:\",\"n\":\"seq\",\"v\":" + i + "}]")
                        .getBytes(StandardCharsets.UTF_8);
                while (true) {
                    try {
                        if (!c.isConnected()) {
                            c.connect(o);
                        }
                        c.publish("betaas/things/it-seq-1/senml", payload, 1, false);
                        sent.set(i + 1);
                        Thread.sleep(5); // a sensor's pace (200/s), so that the stream outlasts bin/stop
                        break;
                    } catch (MqttException e) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("value " + i + " never acknowledged", e);
                        }
                        Thread.sleep(200);
                    }
                }
            }
            c.disconnect();
        } finally {
            c.close();
        }
    }

    /** mosquitto_pub at QoS 1 to the embedded broker, retried until the broker took it. */
    private void publish(String senml) throws Exception {
        List<String> command = List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker),
                "-u", "betaas", "-P", PASSWORD, "-q", "1", "-t", "betaas/things/it-restart-1/senml", "-m", senml);
        ProcessRun last = null;
        for (int i = 0; i < 30; i++) {
            last = ProcessRun.of(command, null, 30);
            if (last.exitCode() == 0) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("mosquitto_pub never succeeded: " + last.output());
    }

    @After
    public void cleanUp() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }
}
