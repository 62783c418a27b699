package org.betaas.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

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

    @Test
    public void theRegistryComesBackAfterAKarafRestart() throws Exception {
        karaf = KarafProcess.unpack("things-restart");
        broker = KarafProcess.freePort();
        String url = "tcp://127.0.0.1:" + broker;
        karaf.set("org.betaas.broker.cfg", "port", String.valueOf(broker));
        karaf.set("org.betaas.broker.cfg", "password", PASSWORD);
        karaf.set("org.betaas.mqtt.cfg", "broker.url", url);
        karaf.set("org.betaas.mqtt.cfg", "password", PASSWORD);
        karaf.set("org.betaas.mqtt.cfg", "reconnect.max.delay.s", "2");
        // no simulated things: the only MQTT traffic is this test's
        karaf.set("org.betaas.simulator.cfg", "enabled", "false");
        karaf.set("org.betaas.simulator.cfg", "broker.url", url);

        karaf.start();
        karaf.await("betaas:adaptation-stats", out -> out.contains("Connection  connected to " + url));
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
