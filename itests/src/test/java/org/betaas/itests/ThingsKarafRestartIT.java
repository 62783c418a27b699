package org.betaas.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        broker = KarafProcess.freePort();
        String url = "tcp://127.0.0.1:" + broker;
        karaf.set("org.betaas.broker.cfg", "port", String.valueOf(broker));
        karaf.set("org.betaas.broker.cfg", "password", PASSWORD);
        karaf.set("org.betaas.mqtt.cfg", "broker.url", url);
        karaf.set("org.betaas.mqtt.cfg", "password", PASSWORD);
        karaf.set("org.betaas.mqtt.cfg", "reconnect.max.delay.s", "2");
        karaf.set("org.betaas.simulator.cfg", "enabled", "false");
        karaf.set("org.betaas.simulator.cfg", "broker.url", url);
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
        String url = startGateway("measurements-restart");

        int total = 2000;
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread publisher = new Thread(() -> {
            try {
                publishUntilAcknowledged(url, total, sent);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "it-restart-publisher");
        publisher.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent.get() < total / 4 && publisher.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("a quarter published before the stop: " + sent.get() + " " + failure.get(),
                sent.get() >= total / 4);
        karaf.stop();
        int beforeStart = sent.get();
        assertTrue("the stream goes on after the restart: " + beforeStart + " of " + total + " sent before it",
                beforeStart < total);
        karaf.start();
        publisher.join(TimeUnit.SECONDS.toMillis(240));
        assertNull("publisher: " + failure.get(), failure.get());
        assertFalse("publisher still running", publisher.isAlive());

        Set<Integer> stored = new HashSet<>();
        String last = "";
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (stored.size() < total && System.nanoTime() < until) {
            last = karaf.client("betaas:bigdata-query --since 1h --limit " + (2 * total) + " it-seq-1");
            stored.clear();
            Matcher m = STORED_SEQ.matcher(last);
            while (m.find()) {
                stored.add(Integer.parseInt(m.group(1)));
            }
            if (stored.size() < total) {
                Thread.sleep(1000);
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < total && missing.size() < 30; i++) {
            if (!stored.contains(i)) {
                missing.add(i);
            }
        }
        assertTrue("acknowledged measurements not stored (" + (total - stored.size()) + " of " + total
                + ", " + beforeStart + " sent before the start), first ones: " + missing, missing.isEmpty());
    }

    private static final Pattern STORED_SEQ = Pattern.compile("\\|\\s*seq\\s*\\|\\s*(\\d+)\\.00\\s*\\|");

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
