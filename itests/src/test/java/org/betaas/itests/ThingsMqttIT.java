package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.betaas.api.things.AdaptorStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Things over MQTT in the distribution: SenML to the embedded broker (mosquitto_pub and Paho), an external
 * Debian mosquitto, authentication, malformed input, a broker restart at QoS 1 and the registry across a
 * restart of its bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ThingsMqttIT extends BetaasTestSupport {

    /** Evaluated again in the container: tests use {@link #port()}, never this, once Karaf runs. */
    private static final String CONFIGURED_PORT = freePort();
    private static final String USER = "betaas";
    private static final String PASSWORD = "it-secret";

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    @Override
    protected Option[] extraOptions() {
        return new Option[]{
                editConfigurationFilePut("etc/org.betaas.broker.cfg", "port", CONFIGURED_PORT),
                editConfigurationFilePut("etc/org.betaas.broker.cfg", "password", PASSWORD),
                editConfigurationFilePut("etc/org.betaas.mqtt.cfg", "broker.url", "tcp://127.0.0.1:" + CONFIGURED_PORT),
                editConfigurationFilePut("etc/org.betaas.mqtt.cfg", "password", PASSWORD),
                editConfigurationFilePut("etc/org.betaas.mqtt.cfg", "reconnect.max.delay.s", "2"),
                editConfigurationFilePut("etc/org.betaas.simulator.cfg", "broker.url", "tcp://127.0.0.1:" + CONFIGURED_PORT),
                editConfigurationFilePut("etc/org.betaas.simulator.cfg", "password", PASSWORD),
                editConfigurationFilePut("etc/org.betaas.simulator.cfg", "interval.ms", "500"),
        };
    }

    /** The embedded broker's port, as configured in the running container. */
    private String port() {
        try {
            return String.valueOf(configurationAdmin.getConfiguration("org.betaas.broker", null).getProperties().get("port"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Looked up at each use: restarting the things bundle replaces the service. */
    private ThingRegistry registry() {
        return service(ThingRegistry.class);
    }

    private ThingSubscriptions subscriptions() {
        return service(ThingSubscriptions.class);
    }

    private <T> T service(Class<T> type) {
        awaitTrue(type.getSimpleName() + " service", () -> bundleContext.getServiceReference(type) != null);
        return bundleContext.getService(bundleContext.getServiceReference(type));
    }

    private ThingAdaptor mqtt() {
        try {
            for (ServiceReference<ThingAdaptor> ref : bundleContext.getServiceReferences(ThingAdaptor.class, null)) {
                ThingAdaptor a = bundleContext.getService(ref);
                if (a != null && a.protocol().equals("mqtt")) {
                    return a;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private void awaitConnected(String url) {
        // one lookup per look: the adaptor is re-registered while its configuration changes, so two lookups
        // may see it and then not (that was a NullPointerException); the state reported is the last one seen
        String[] seen = {"no adaptor"};
        try {
            awaitTrue("the MQTT adaptor to be connected to " + url, () -> {
                ThingAdaptor a = mqtt();
                seen[0] = a == null ? "no adaptor" : a.stats().connection();
                return seen[0].startsWith("connected to " + url);
            });
        } catch (AssertionError e) {
            // no cause: surefire's summary (all CI shows) prints the innermost cause's message, which lacks these
            throw new AssertionError(e.getMessage() + "; last seen: " + seen[0] + "; the log's last lines of the adaptor"
                    + " and the broker: " + logLines("org\\.betaas\\.adaptation\\.(mqtt|broker)", 15));
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 30 s");
        }
        return p.exitValue();
    }

    private static MqttClient paho(String port, String clientId, boolean cleanSession) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setUserName(USER);
        o.setPassword(PASSWORD.toCharArray());
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    @Test
    public void senmlFromMosquittoPubAppearsInThingList() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        String port = port();
        awaitTrue("mosquitto_pub to the embedded broker", () -> {
            try {
                return run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", USER, "-P", PASSWORD, "-q", "1",
                        "-t", "betaas/things/it-kitchen-1/senml",
                        "-m", "[{\"bn\":\"it-kitchen-1:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":23.5}]") == 0;
            } catch (Exception e) {
                return false;
            }
        });
        awaitTrue("it-kitchen-1 in betaas:thing-list",
                () -> executeCommand("betaas:thing-list").lines().anyMatch(l -> l.contains("it-kitchen-1")
                        && l.contains("temperature=23.5 Cel")));
        String info = executeCommand("betaas:thing-info it-kitchen-1");
        assertTrue(info, info.contains("mqtt") && info.contains("23.5 Cel"));
        // the simulated things of the demo configuration are live too
        awaitTrue("simulated things", () -> executeCommand("betaas:thing-list").contains("sim-machine-1"));
        String actuate = executeCommand("betaas:thing-actuate it-kitchen-1 true");
        assertTrue(actuate, actuate.contains("Sent 'true' to it-kitchen-1"));
        String unknown = executeCommand("betaas:thing-info no-such-thing");
        assertTrue(unknown, unknown.contains("No thing 'no-such-thing'"));
    }

    @Test
    public void senmlCborOnTheSiblingTopicAppearsInThingList() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        // [{"n":"temperature","u":"Cel","v":21.5}] in SenML CBOR (RFC 8428 section 6; 21.5 as a half float)
        byte[] cbor = java.util.HexFormat.of().parseHex("81a3006b74656d7065726174757265016343656c02f94d60");
        MqttClient c = paho(port(), "it-cbor", true);
        try {
            c.publish("betaas/things/it-cbor-1/senml-cbor", cbor, 1, false);
        } finally {
            c.disconnect();
            c.close();
        }
        awaitTrue("it-cbor-1 in betaas:thing-list",
                () -> executeCommand("betaas:thing-list").lines().anyMatch(l -> l.contains("it-cbor-1")
                        && l.contains("temperature=21.5 Cel")));
    }

    @Test
    public void unauthenticatedClientsAreRefused() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        String[] topic = {"-t", "betaas/things/it-intruder/senml", "-m", "[{\"n\":\"t\",\"v\":1}]", "-q", "1"};
        List<String> anonymous = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port()));
        anonymous.addAll(List.of(topic));
        assertNotEquals("anonymous publish must fail", 0, run(anonymous.toArray(new String[0])));
        List<String> wrong = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port(),
                "-u", USER, "-P", "wrong"));
        wrong.addAll(List.of(topic));
        assertNotEquals("wrong password must fail", 0, run(wrong.toArray(new String[0])));
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port(), "it-anonymous", new MemoryPersistence());
        try {
            c.connect();
            throw new AssertionError("an anonymous Paho client connected");
        } catch (MqttException e) {
            assertTrue("refused: " + e, e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                    || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED);
        } finally {
            c.close();
        }
        assertTrue(registry().find("it-intruder").isEmpty());
    }

    @Test
    public void malformedPayloadsAreRejectedCountedAndValidOnesStillAccepted() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        AdaptorStats before = mqtt().stats();
        String[] malformed = {
                "not json at all", "", "{\"n\":\"t\",\"v\":1}", "[]", "[1,2,3]", "[{\"n\":\"t\"}]",
                "[{\"n\":\"t\",\"v\":1,\"vs\":\"x\"}]", "[{\"n\":\"bad name\",\"v\":1}]", "[{\"n\":\"t\",\"v\":\"1\"}]",
                "[{\"bn\":\"x\",\"bver\":99,\"v\":1}]", "[{\"n\":\"t\",\"v\":1,\"crit_\":true}]", "[{\"n\":\"t\",\"v\":1e999}]",
                "[{\"n\":\"t\",\"vd\":\"***\"}]", "[{\"n\":\"t\",\"v\":1}", "\u0000\u0001\u0002"};
        MqttClient c = paho(port(), "it-malformed", true);
        try {
            for (int i = 0; i < 1000; i++) {
                c.publish("betaas/things/it-bad-" + (i % 7) + "/senml",
                        malformed[i % malformed.length].getBytes(StandardCharsets.UTF_8), 1, false);
                if (i % 100 == 0) {
                    c.publish("betaas/things/it-good/senml", ("[{\"n\":\"count\",\"v\":" + i + "}]")
                            .getBytes(StandardCharsets.UTF_8), 1, false);
                }
            }
        } finally {
            c.disconnect();
            c.close();
        }
        awaitTrue("1000 more rejected, now " + mqtt().stats().rejectedTotal() + " (before " + before.rejectedTotal() + ")",
                () -> mqtt().stats().rejectedTotal() - before.rejectedTotal() == 1000);
        AdaptorStats after = mqtt().stats();
        assertTrue("rejected by several reasons: " + after.rejected(), after.rejected().size() >= 10);
        awaitTrue("the valid messages in between were accepted",
                () -> registry().lastValues("it-good").stream().anyMatch(m -> Double.valueOf(900).equals(m.value())));
        for (int i = 0; i < 7; i++) {
            assertTrue(registry().find("it-bad-" + i).isEmpty());
        }
        String stats = executeCommand("betaas:adaptation-stats");
        assertTrue(stats, stats.contains("not-json") && stats.contains("multiple-values") && stats.contains("connected"));
        // and valid input still flows afterwards
        MqttClient again = paho(port(), "it-after", true);
        again.publish("betaas/things/it-good/senml", "[{\"n\":\"count\",\"v\":1001}]".getBytes(StandardCharsets.UTF_8), 1, false);
        again.disconnect();
        again.close();
        awaitTrue("a valid message after the malformed ones",
                () -> registry().lastValues("it-good").stream().anyMatch(m -> Double.valueOf(1001).equals(m.value())));
    }

    /**
     * The operator sees the embedded broker and the persistent subscribers that are away, with what waits for them
     * (a peer or an application that is not coming back shows as a growing backlog).
     */
    @Test
    public void adaptationStatsShowsTheBrokerAndWhatWaitsForASubscriberAway() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        MqttClient away = paho(port(), "it-away-sub", false);
        away.subscribe("betaas/things/it-away/senml", 1);
        away.disconnect();
        away.close();
        MqttClient pub = paho(port(), "it-away-pub", true);
        pub.publish("betaas/things/it-away/senml", "[{\"n\":\"count\",\"v\":1}]".getBytes(StandardCharsets.UTF_8),
                1, false);
        pub.disconnect();
        pub.close();
        try {
            awaitTrue("betaas:adaptation-stats lists it-away-sub with bytes waiting", () -> {
                String stats = executeCommand("betaas:adaptation-stats");
                return stats.contains("Embedded broker  running") && stats.lines()
                        .anyMatch(l -> l.matches("\\s+it-away-sub: [1-9][0-9]* B waiting for it"));
            });
        } finally {
            MqttClient back = paho(port(), "it-away-sub", true); // a clean session ends it
            back.disconnect();
            back.close();
        }
    }

    /** A Debian mosquitto of the test's own, on a free port, persistent (its database in {@code dir}). */
    private static Process mosquitto(File dir, String port) throws Exception {
        File conf = new File(dir, "mosquitto.conf");
        // mosquitto started as root drops to the mosquitto user: it must be able to write its database here
        Files.setPosixFilePermissions(dir.toPath(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(conf.toPath(), "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "persistence true\npersistence_location " + dir.getAbsolutePath() + "/\n"
                + "max_queued_messages 100000\n");
        Process p = new ProcessBuilder("mosquitto", "-c", conf.getAbsolutePath()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir, "mosquitto.log"))).start();
        awaitTrue("mosquitto listening on " + port, () -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(port))) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: mosquitto saves its persistence database
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Deletes a mosquitto's folder under /tmp (its configuration, database and log), once it has stopped. */
    private static void deleteTree(File dir) throws java.io.IOException {
        try (var files = Files.walk(dir.toPath())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Points the adaptor at another broker (without credentials) and returns the original configuration. */
    private Dictionary<String, Object> useBroker(String url) throws Exception {
        Configuration config = configurationAdmin.getConfiguration("org.betaas.mqtt", null);
        Dictionary<String, Object> original = config.getProperties();
        Dictionary<String, Object> external = new Hashtable<>();
        for (var keys = original.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            external.put(k, original.get(k));
        }
        external.put("broker.url", url);
        external.put("username", "");
        config.update(external);
        try {
            awaitConnected(url);
        } catch (AssertionError e) {
            config.update(original); // the next tests start from the shipped broker, not from this failure
            throw e;
        }
        return original;
    }

    /**
     * QoS 1 across a broker restart, against Debian's mosquitto (persistent): the adaptor's persistent session
     * keeps what was queued for it. (The embedded broker: {@link #embeddedBrokerRestartMidStreamLosesNoAcceptedMeasurement}.)
     */
    @Test
    public void brokerRestartMidStreamLosesNoAcceptedMeasurement() throws Exception {
        String port = freePort();
        File dir = Files.createTempDirectory("mosquitto-restart").toFile();
        Process[] mosquitto = {mosquitto(dir, port)};
        Dictionary<String, Object> original = useBroker("tcp://127.0.0.1:" + port);
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        int total = 400;
        try (Subscription s = subscriptions().subscribe("it-restart", ThingFilter.thing("it-seq"), (t, ms) ->
                ms.forEach(m -> received.add(((Double) m.value()).intValue())))) {
            publishSequence("it-seq", total, () -> anonymous(port), () -> {
                stop(mosquitto[0]); // the broker goes away mid-stream...
                mosquitto[0] = mosquitto(dir, port); // ...and comes back with its persisted sessions
            });
            awaitTrue("all " + total + " acknowledged measurements delivered, missing now: " + missing(received, total),
                    () -> received.size() == total);
        } finally {
            try {
                configurationAdmin.getConfiguration("org.betaas.mqtt", null).update(original);
            } finally {
                stop(mosquitto[0]);
                deleteTree(dir);
            }
        }
        awaitConnected("tcp://127.0.0.1:" + port());
    }

    /**
     * QoS 1 across a restart of the embedded broker (its bundle stopped and started mid-stream): the broker drains
     * what it acknowledged before stopping and keeps the adaptor's persistent session and its queue, so every
     * sequence number the broker acknowledged reaches the registry, those published while the adaptor was not yet
     * connected again included.
     */
    @Test
    public void embeddedBrokerRestartMidStreamLosesNoAcceptedMeasurement() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        String port = port();
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        int total = 400;
        Bundle broker = bundle("org.betaas.adaptation.broker");
        try (Subscription s = subscriptions().subscribe("it-embedded-restart", ThingFilter.thing("it-seq-embedded"),
                (t, ms) -> ms.forEach(m -> received.add(((Double) m.value()).intValue())))) {
            publishSequence("it-seq-embedded", total, () -> paho(port, "it-seq-embedded-publisher", false), () -> {
                broker.stop(); // the embedded broker goes away mid-stream (draining what it acknowledged)...
                broker.start(); // ...and comes back on the same data folder, with the adaptor's session and queue:
                // publishing resumes at once, before the adaptor is back (its reconnection backs off for a second or
                // more), and what is published meanwhile waits for it in that queue
            });
            awaitTrue("all " + total + " acknowledged measurements delivered, missing now: " + missing(received, total),
                    () -> received.size() == total);
        }
        awaitConnected("tcp://127.0.0.1:" + port);
    }

    /** Opens a publisher's connection to the broker. */
    private interface Publisher {
        MqttClient connect() throws Exception;
    }

    /** Restarts the broker. */
    private interface Restart {
        void run() throws Exception;
    }

    /**
     * Publishes the SenML values 0..total-1 for the thing at QoS 1, restarting the broker halfway through. Each
     * message is sent again (reconnecting when needed) until the broker acknowledged it: at least once.
     */
    private static void publishSequence(String thing, int total, Publisher publisher, Restart restart)
            throws Exception {
        MqttClient c = publisher.connect();
        for (int i = 0; i < total; i++) {
            if (i == total / 2) {
                restart.run();
            }
            byte[] payload = ("[{\"n\":\"seq\",\"v\":" + i + "}]").getBytes(StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!c.isConnected()) {
                        c.close();
                        c = publisher.connect();
                    }
                    c.publish("betaas/things/" + thing + "/senml", payload, 1, false);
                    break;
                } catch (MqttException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200); // the broker is restarting: nothing to await but its port
                }
            }
        }
        c.disconnect();
        c.close();
    }

    private static MqttClient anonymous(String port) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "it-seq-publisher", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        c.connect(o);
        return c;
    }

    private static List<Integer> missing(Set<Integer> received, int total) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < total && missing.size() < 20; i++) {
            if (!received.contains(i)) {
                missing.add(i);
            }
        }
        return missing;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " not installed");
    }

    @Test
    public void registryComesBackAfterARestartOfItsBundle() throws Exception {
        awaitConnected("tcp://127.0.0.1:" + port());
        MqttClient c = paho(port(), "it-persist", true);
        c.publish("betaas/things/it-persisted/senml", "[{\"n\":\"level\",\"u\":\"%\",\"v\":77}]"
                .getBytes(StandardCharsets.UTF_8), 1, false);
        c.disconnect();
        c.close();
        awaitTrue("it-persisted registered", () -> registry().find("it-persisted").isPresent());
        Bundle things = bundle("org.betaas.adaptation.things");
        things.stop(); // closes H2 after writing what changed
        assertTrue(new File(System.getProperty("karaf.data"), "betaas/things.mv.db").isFile());
        things.start();
        awaitTrue("it-persisted back after the restart",
                () -> executeCommand("betaas:thing-list").lines().anyMatch(l -> l.contains("it-persisted")
                        && l.contains("level=77 %")));
    }

    @Test
    public void worksWithAnExternalMosquitto() throws Exception {
        String port = freePort();
        File dir = Files.createTempDirectory("mosquitto").toFile();
        File conf = new File(dir, "mosquitto.conf");
        Files.writeString(conf.toPath(), "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                + "max_queued_messages 100000\n");
        Process mosquitto = new ProcessBuilder("mosquitto", "-c", conf.getAbsolutePath())
                .redirectErrorStream(true).redirectOutput(new File(dir, "mosquitto.log")).start();
        Configuration config = configurationAdmin.getConfiguration("org.betaas.mqtt", null);
        Dictionary<String, Object> original = config.getProperties();
        try {
            Dictionary<String, Object> external = new Hashtable<>();
            for (var keys = original.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                external.put(k, original.get(k));
            }
            external.put("broker.url", "tcp://127.0.0.1:" + port);
            external.put("username", "");
            config.update(external);
            awaitConnected("tcp://127.0.0.1:" + port);
            awaitTrue("mosquitto_pub to the external broker", () -> {
                try {
                    return run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                            "betaas/things/it-external/senml", "-m", "[{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":41}]") == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            awaitTrue("it-external in betaas:thing-list",
                    () -> executeCommand("betaas:thing-list").lines().anyMatch(l -> l.contains("it-external")
                            && l.contains("humidity=41 %RH")));
        } finally {
            try {
                config.update(original);
            } finally {
                stop(mosquitto);
                deleteTree(dir);
            }
        }
        awaitConnected("tcp://127.0.0.1:" + port());
    }
}
