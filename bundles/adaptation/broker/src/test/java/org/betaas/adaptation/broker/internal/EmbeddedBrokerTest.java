package org.betaas.adaptation.broker.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.DataInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.moquette.BrokerConstants;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EmbeddedBrokerTest {

    /** The brokers' data folders: deleted after each test, which stops its broker itself first. */
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    static BrokerConfiguration config(int port, String password) {
        return new BrokerConfiguration() {
            public Class<? extends Annotation> annotationType() { return BrokerConfiguration.class; }
            public boolean enabled() { return true; }
            public String host() { return "127.0.0.1"; }
            public int port() { return port; }
            public String username() { return "betaas"; }
            public String password() { return password; }
            public boolean allow_anonymous() { return false; }
            public boolean persistence() { return true; }
            public int max_message_bytes() { return 262144; }
        };
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    @Test
    public void authenticatedClientsOnlyAndMessagesFlow() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker").toPath();
        try (EmbeddedBroker broker = new EmbeddedBroker(BrokerSettings.parse(config(port, "s3cret")), data)) {
            String url = "tcp://127.0.0.1:" + port;
            for (String[] bad : new String[][]{{null, null}, {"betaas", "wrong"}, {"other", "s3cret"}}) {
                MqttClient c = new MqttClient(url, "bad-" + bad[0], new MemoryPersistence());
                try {
                    c.connect(options(bad[0], bad[1]));
                    fail("connected with " + bad[0]);
                } catch (MqttException e) {
                    assertTrue(e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                            || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED);
                } finally {
                    c.close();
                }
            }
            MqttClient sub = new MqttClient(url, "sub", new MemoryPersistence());
            sub.connect(options("betaas", "s3cret"));
            BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
            sub.subscribe("a/+", 1, (topic, m) -> got.add(topic + "=" + new String(m.getPayload(), StandardCharsets.UTF_8)));
            MqttClient pub = new MqttClient(url, "pub", new MemoryPersistence());
            pub.connect(options("betaas", "s3cret"));
            pub.publish("a/b", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("a/b=hello", got.poll(10, TimeUnit.SECONDS));
            assertEquals(2, broker.connectedClients());
            pub.disconnect();
            sub.disconnect();
            pub.close();
            sub.close();
        }
        assertTrue("persistence under the data dir", new File(data.toFile(), ".").list().length > 0);
    }

    /**
     * QoS 1 across a restart of the broker on the same data folder: a slow persistent subscriber (as the MQTT
     * adaptor is) gets every publication the broker acknowledged, although hundreds were still in Moquette's
     * memory when it was asked to stop.
     */
    @Test
    public void aRestartMidStreamLosesNoAcknowledgedPublication() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-restart").toPath();
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        MqttClient sub = new MqttClient(url, "slow-sub", new MemoryPersistence());
        MqttClient pub = null;
        int total = 600;
        int acknowledgedBeforeStop = 0;
        try {
            MqttConnectOptions so = options("betaas", "s3cret");
            so.setCleanSession(false);
            so.setConnectionTimeout(5);
            sub.setCallback(new MqttCallbackExtended() {
                public void connectComplete(boolean reconnect, String uri) { }
                public void connectionLost(Throwable cause) { }
                public void deliveryComplete(IMqttDeliveryToken token) { }
                public void messageArrived(String topic, MqttMessage m) throws Exception {
                    Thread.sleep(2); // slower than the publisher: messages pile up inside the broker
                    received.add(Integer.parseInt(new String(m.getPayload(), StandardCharsets.UTF_8)));
                }
            });
            subscribe(sub, so);
            pub = publisher(url);
            for (int i = 0; i < total; i++) {
                if (i == total / 2) {
                    acknowledgedBeforeStop = i;
                    broker.close();
                    broker = new EmbeddedBroker(settings, data);
                    // the subscriber comes back and subscribes again, as the MQTT adaptor does on every connect
                    await(() -> !sub.isConnected());
                    subscribe(sub, so);
                }
                byte[] payload = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) { // at least once: again until the broker acknowledged it
                    try {
                        if (!pub.isConnected()) {
                            pub.close();
                            pub = publisher(url);
                        }
                        pub.publish("seq/a", payload, 1, false);
                        break;
                    } catch (MqttException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(100);
                    }
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < total && System.nanoTime() < deadline) {
                if (!sub.isConnected()) { // the subscriber comes back, as the MQTT adaptor does
                    try {
                        sub.connect(so);
                    } catch (MqttException e) {
                        Thread.sleep(100);
                    }
                }
                Thread.sleep(50);
            }
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                if (!received.contains(i)) {
                    missing.add(i);
                }
            }
            assertTrue("lost across the restart (stopped after " + acknowledgedBeforeStop + " acknowledged): "
                    + missing, missing.isEmpty());
        } finally {
            if (pub != null) {
                pub.disconnectForcibly(0, 1000);
                pub.close();
            }
            sub.disconnectForcibly(0, 1000);
            sub.close();
            broker.close();
        }
    }

    /**
     * QoS 1 publications queued for several offline persistent-session subscribers survive a restart of the broker:
     * each gets all of them when it comes back with its client id and cleanSession=false (without subscribing again).
     */
    @Test(timeout = 90_000)
    public void theQueuesOfEveryOfflinePersistentSubscriberSurviveARestart() throws Exception {
        everyOfflinePersistentSubscriberGetsEveryPublication(false);
    }

    /** The same when the broker restarts while the subscribers are offline, before anything is published. */
    @Test(timeout = 90_000)
    public void everyOfflinePersistentSubscriberGetsWhatIsPublishedAfterARestart() throws Exception {
        everyOfflinePersistentSubscriberGetsEveryPublication(true);
    }

    private void everyOfflinePersistentSubscriberGetsEveryPublication(boolean restartBeforePublishing)
            throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-queues").toPath();
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        int subscribers = 3;
        int total = 20;
        List<MqttClient> subs = new ArrayList<>();
        List<Set<String>> received = new ArrayList<>();
        List<CountDownLatch> complete = new ArrayList<>();
        MqttConnectOptions persistent = persistentSession();
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        try {
            for (int s = 0; s < subscribers; s++) {
                Set<String> got = ConcurrentHashMap.newKeySet();
                CountDownLatch all = new CountDownLatch(total);
                MqttClient sub = collecting(url, "offline-sub-" + s, payload -> {
                    if (got.add(payload)) {
                        all.countDown();
                    }
                });
                subscribeAndLeave(sub, "queued/t");
                subs.add(sub);
                received.add(got);
                complete.add(all);
            }
            if (restartBeforePublishing) {
                broker.close();
                broker = new EmbeddedBroker(settings, data);
            }
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                numbers.add(Integer.toString(i));
            }
            publishAll(url, "queued/t", numbers);
            if (!restartBeforePublishing) {
                broker.close();
                broker = new EmbeddedBroker(settings, data);
            }
            for (MqttClient sub : subs) {
                sub.connect(persistent);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (CountDownLatch all : complete) {
                all.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            List<Integer> counts = new ArrayList<>();
            for (Set<String> got : received) {
                counts.add(got.size());
            }
            assertEquals("publications received per subscriber after the restart",
                    Collections.nCopies(subscribers, total), counts);
        } finally {
            closeAll(broker, subs);
        }
    }

    /**
     * The messages queued for an offline persistent subscriber stay intact across a restart although other queues,
     * after it, take the room freed before it. Moquette 0.17 counted every queue segment past the first free one as
     * free at start, and the new messages overwrote them: the subscriber got one to three of its 12 messages, then
     * garbled ones or another subscriber's, and then none (a NullPointerException stopped its session event loop).
     */
    @Test(timeout = 90_000)
    public void newMessagesAfterARestartDoNotOverwriteThoseQueuedForAnOfflineSubscriber() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-holes").toPath();
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        // 1 KiB segments: each queued message (~510 bytes) takes half of one
        Properties smallSegments = new Properties();
        smallSegments.setProperty(BrokerConstants.SEGMENTED_QUEUE_SEGMENT_SIZE, "1024");
        smallSegments.setProperty(BrokerConstants.SEGMENTED_QUEUE_PAGE_SIZE, "65536");
        MqttConnectOptions persistent = persistentSession();
        List<String> early = new ArrayList<>();
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            early.add(payload("early", i));
        }
        for (int i = 0; i < 24; i++) {
            late.add(payload("late", i));
        }
        List<String> drained = new CopyOnWriteArrayList<>();
        List<String> kept = new CopyOnWriteArrayList<>();
        MqttClient drainer = collecting(url, "hole-drainer", drained::add);
        MqttClient keeper = collecting(url, "hole-keeper", kept::add);
        MqttClient latecomer = collecting(url, "hole-latecomer", payload -> { });
        EmbeddedBroker broker = new EmbeddedBroker(settings, data, error -> { }, smallSegments);
        try {
            for (MqttClient sub : List.of(drainer, keeper)) {
                subscribeAndLeave(sub, "hole/early");
            }
            // both queues grow alike: their segments alternate in the store
            publishAll(url, "hole/early", early);
            // the drainer reads its queue: its segments but the last, between the keeper's, become free
            drainer.connect(persistent);
            awaitSize(drained, early.size());
            assertEquals("messages the drainer read", early.size(), drained.size());
            drainer.disconnect();
            broker.close();
            broker = new EmbeddedBroker(settings, data, error -> { }, smallSegments);
            // another persistent subscriber's queue takes the free segments
            subscribeAndLeave(latecomer, "hole/late");
            publishAll(url, "hole/late", late);
            keeper.connect(persistent);
            awaitSize(kept, early.size());
            assertEquals("the keeper's messages after the restart",
                    numbered(early, early), numbered(kept, early));
        } finally {
            closeAll(broker, List.of(drainer, keeper, latecomer));
        }
    }

    /**
     * A session that ended (its client came back with a clean session) leaves no queue behind across a restart:
     * Moquette 0.17 kept such a queue, with what was queued in it, for good, and logged at every start that it was
     * unused ("This is probably a bug"). The broker's queue index, after a stop, names the persistent sessions only.
     */
    @Test(timeout = 90_000)
    public void aSessionThatEndedLeavesNoQueueBehindAcrossARestart() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-ended").toPath();
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        List<String> kept = new CopyOnWriteArrayList<>();
        MqttClient ended = collecting(url, "ended-sub", payload -> { });
        MqttClient stays = collecting(url, "staying-sub", kept::add);
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        try {
            for (MqttClient sub : List.of(ended, stays)) {
                subscribeAndLeave(sub, "ended/t");
            }
            publishAll(url, "ended/t", List.of("a", "b", "c"));
            MqttConnectOptions clean = options("betaas", "s3cret");
            clean.setCleanSession(true); // ends its persistent session, and what was queued for it
            ended.connect(clean);
            ended.disconnect();
            broker.close();
            Properties index = new Properties();
            try (InputStream in = Files.newInputStream(data.resolve("checkpoint.properties"))) {
                index.load(in);
            }
            List<String> queues = new ArrayList<>();
            for (int i = 0; index.containsKey("queues." + i + ".name"); i++) {
                queues.add(index.getProperty("queues." + i + ".name"));
            }
            assertEquals("queues kept across the restart", List.of("staying-sub"), queues);
            broker = new EmbeddedBroker(settings, data);
            stays.connect(persistentSession());
            awaitSize(kept, 3);
            assertEquals("what the persistent subscriber gets after the restart", List.of("a", "b", "c"), kept);
        } finally {
            closeAll(broker, List.of(ended, stays));
        }
    }

    /**
     * What the broker sent to a persistent subscriber that went away before acknowledging it (as Karaf stops the
     * gateway's MQTT adaptor before the broker) survives a stop, in order, ahead of what was queued after it.
     * Moquette 0.17 kept those (its in-flight window: 10 messages) in memory only: the subscriber got 10..29 of 30.
     */
    @Test(timeout = 90_000)
    public void messagesInFlightToASubscriberThatWentAwaySurviveAStop() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-in-flight").toPath();
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sent.add(Integer.toString(i));
        }
        List<String> unacknowledged = new CopyOnWriteArrayList<>();
        MqttClient slow = collecting(url, "in-flight-sub", unacknowledged::add);
        slow.setManualAcks(true); // it never acknowledges: the broker's in-flight window fills, the rest is queued
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient back = collecting(url, "in-flight-sub", received::add);
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        try {
            slow.connect(persistentSession());
            slow.subscribeWithResponse("in-flight/t", 1).waitForCompletion(5000);
            publishAll(url, "in-flight/t", sent);
            awaitSize(unacknowledged, 10);
            assertEquals("sent to the subscriber, not acknowledged", sent.subList(0, 10), unacknowledged);
            slow.disconnect();
            broker.close();
            broker = new EmbeddedBroker(settings, data);
            back.connect(persistentSession());
            awaitSize(received, sent.size());
            assertEquals("what the subscriber gets after the restart", sent,
                    received.stream().distinct().toList());
        } finally {
            closeAll(broker, List.of(slow, back));
        }
    }

    /**
     * A broker that dies (power cut, kill -9: no clean stop) after a restart must not deliver again what it had
     * delivered since that restart. Moquette 0.17 reads its queues' index (written at the clean stop) when it starts
     * and keeps the file: a later crash left that stale index behind, and the next start handed the subscriber, once
     * more, what had waited for it at the clean stop (the gateway stored old measurements again, as new) — or other
     * bytes that had since been written where those were. Its persistent sessions come back all the same, and get
     * what is published while they are away. The crash is what it leaves on disk: the data folder copied while the
     * broker runs.
     */
    @Test(timeout = 90_000)
    public void aBrokerThatDiesAfterARestartDoesNotDeliverOldMessagesAgain() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-before-crash").toPath();
        Path crashed = tmp.getRoot().toPath().resolve("broker-after-crash");
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient sub = collecting(url, "crash-sub", received::add);
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        try {
            subscribeAndLeave(sub, "crash/t");
            publishAll(url, "crash/t", List.of("a", "b", "c"));
            broker.close();
            broker = new EmbeddedBroker(settings, data);
            sub.connect(persistentSession());
            awaitSize(received, 3);
            sub.disconnect();
            broker = crash(broker, settings, data, crashed);
            publishAll(url, "crash/t", List.of("d")); // queued for the subscriber, still away
            sub.connect(persistentSession());
            await(() -> received.contains("d"));
            assertEquals("received before the crash, then after it", List.of("a", "b", "c", "d"), received);
        } finally {
            closeAll(broker, List.of(sub));
        }
    }

    /**
     * Persistent sessions opened shortly before a crash are there after it, and their clients get what is published
     * for them while they are away. Moquette commits its session store every 30 s by default: a younger session (the
     * MQTT adaptor's on a gateway's first start, a peer that just joined) was unknown after the crash, and what was
     * published for it went nowhere though acknowledged. And a session stored while its client was connected has no
     * expiry instant, on which bringing it back failed, and every session after it stayed away.
     */
    @Test(timeout = 90_000)
    public void persistentSessionsOpenedJustBeforeACrashAreThereAfterIt() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-young-session").toPath();
        Path crashed = tmp.getRoot().toPath().resolve("broker-young-session-crashed");
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        MqttClient sub1 = collecting(url, "young-sub-1", first::add);
        MqttClient sub2 = collecting(url, "young-sub-2", second::add);
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        try {
            Path store = data.resolve("moquette_store.h2");
            FileTime opened = Files.getLastModifiedTime(store);
            subscribeAndLeave(sub1, "young/t");
            subscribeAndLeave(sub2, "young/t");
            await(() -> modifiedAfter(store, opened)); // the session store's next commit
            broker = crash(broker, settings, data, crashed);
            publishAll(url, "young/t", List.of("while away"));
            sub1.connect(persistentSession());
            sub2.connect(persistentSession());
            await(() -> !first.isEmpty() && !second.isEmpty());
            assertEquals("received after the crash", List.of(List.of("while away"), List.of("while away")),
                    List.of(first, second));
        } finally {
            closeAll(broker, List.of(sub1, sub2));
        }
    }

    private static boolean modifiedAfter(Path file, FileTime time) {
        try {
            return Files.getLastModifiedTime(file).compareTo(time) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * A crash, as far as the disk can tell: the data folder copied while the broker runs; then that broker stops and
     * the one returned starts on the copy.
     */
    private static EmbeddedBroker crash(EmbeddedBroker broker, BrokerSettings settings, Path data, Path crashed)
            throws Exception {
        copyFolder(data, crashed);
        broker.close();
        return new EmbeddedBroker(settings, crashed);
    }

    private static void copyFolder(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    /**
     * The operator sees which persistent subscribers are away and what waits for them: it grows with what is
     * published for them, also across a restart, and the subscriber leaves the list when it is back.
     */
    @Test(timeout = 90_000)
    public void persistentSubscribersAwayAreListedWithWhatWaitsForThem() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker-backlog").toPath();
        BrokerSettings settings = BrokerSettings.parse(config(port, "s3cret"));
        String url = "tcp://127.0.0.1:" + port;
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient away = collecting(url, "away-sub", received::add);
        EmbeddedBroker broker = new EmbeddedBroker(settings, data);
        try {
            subscribeAndLeave(away, "backlog/t");
            // Paho's disconnect returns once DISCONNECT is sent: the broker takes note of it on its own time
            EmbeddedBroker first = broker;
            await(() -> first.offlineBacklog().containsKey("away-sub"));
            assertEquals("nothing published yet", Map.of("away-sub", 0L), broker.offlineBacklog());
            publishAll(url, "backlog/t", List.of(payload("x", 1), payload("x", 2)));
            long two = awaitBacklog(broker, "away-sub", 2 * 490);
            publishAll(url, "backlog/t", List.of(payload("x", 3)));
            long three = awaitBacklog(broker, "away-sub", two + 490);
            broker.close();
            broker = new EmbeddedBroker(settings, data);
            assertEquals("after a restart", three, (long) broker.offlineBacklog().get("away-sub"));
            away.connect(persistentSession());
            awaitSize(received, 3);
            assertEquals("back: no longer listed", Map.of(), broker.offlineBacklog());
        } finally {
            closeAll(broker, List.of(away));
        }
    }

    /**
     * The bytes waiting for the client once at least {@code atLeast}: Moquette acknowledges a publication before the
     * subscriber's session event loop has queued it.
     */
    private static long awaitBacklog(EmbeddedBroker broker, String client, long atLeast) throws InterruptedException {
        await(() -> broker.offlineBacklog().getOrDefault(client, -1L) >= atLeast);
        long bytes = broker.offlineBacklog().getOrDefault(client, -1L);
        assertTrue(client + ": " + bytes + " bytes waiting, expected at least " + atLeast, bytes >= atLeast);
        return bytes;
    }

    /** Subscribes at QoS 1 with a persistent session, then goes offline: the broker queues what comes for it. */
    private static void subscribeAndLeave(MqttClient sub, String topic) throws MqttException {
        sub.connect(persistentSession());
        sub.subscribeWithResponse(topic, 1).waitForCompletion(5000);
        sub.disconnect();
    }

    /** Closes the clients (cutting those still connected) and then the broker. */
    private static void closeAll(EmbeddedBroker broker, List<MqttClient> clients) throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000);
            }
            client.close();
        }
        broker.close();
    }

    /** A payload of 490 bytes, unlike any other the test sends. */
    private static String payload(String name, int i) {
        return (name + "-" + i + ";").repeat(490).substring(0, 490);
    }

    /** Each payload received as its number among those sent, or as "garbled" and how it starts. */
    private static List<String> numbered(List<String> received, List<String> sent) {
        List<String> numbers = new ArrayList<>();
        for (String payload : received) {
            int i = sent.indexOf(payload);
            numbers.add(i >= 0 ? Integer.toString(i)
                    : "garbled '" + payload.substring(0, Math.min(12, payload.length())) + "'");
        }
        return numbers;
    }

    private static void awaitSize(List<String> received, int size) throws InterruptedException {
        await(() -> received.size() >= size);
    }

    /**
     * Returns once the condition holds, or after 10 s (the caller's assertion then says what is missing): neither
     * Paho nor Moquette tells when a delivery or a queue change has happened, so it is polled.
     */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static MqttConnectOptions persistentSession() {
        MqttConnectOptions persistent = options("betaas", "s3cret");
        persistent.setCleanSession(false);
        persistent.setConnectionTimeout(5);
        return persistent;
    }

    /** A client (not yet connected) that hands each payload it receives, as text, to {@code received}. */
    private static MqttClient collecting(String url, String id, Consumer<String> received) throws MqttException {
        MqttClient client = new MqttClient(url, id, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            public void connectComplete(boolean reconnect, String uri) { }
            public void connectionLost(Throwable cause) { }
            public void deliveryComplete(IMqttDeliveryToken token) { }
            public void messageArrived(String topic, MqttMessage m) {
                received.accept(new String(m.getPayload(), StandardCharsets.UTF_8));
            }
        });
        return client;
    }

    /** QoS 1, in order, each acknowledged by the broker (PUBACK) before the next is sent. */
    private static void publishAll(String url, String topic, List<String> payloads) throws MqttException {
        MqttClient pub = new MqttClient(url, "queued-pub", new MemoryPersistence());
        pub.connect(options("betaas", "s3cret"));
        for (String payload : payloads) {
            pub.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }
        pub.disconnect();
        pub.close();
    }

    /** Connects and subscribes, again if the broker dropped the fresh connection (seen once with Moquette 0.17). */
    private static void subscribe(MqttClient sub, MqttConnectOptions options) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!sub.isConnected()) {
                    sub.connect(options);
                }
                sub.subscribe("seq/+", 1);
                return;
            } catch (MqttException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static MqttClient publisher(String url) throws MqttException {
        MqttClient c = new MqttClient(url, "seq-pub", new MemoryPersistence());
        MqttConnectOptions o = options("betaas", "s3cret");
        o.setCleanSession(false);
        o.setMaxInflight(1000);
        c.setTimeToWait(10_000);
        c.connect(o);
        return c;
    }

    /**
     * A QoS 1 publication sent again with the DUP flag (a persistent-session publisher that lost its connection
     * before the PUBACK, or one this broker did not acknowledge while draining): Moquette 0.17 alone threw in its
     * session event loop, which then died: no PUBACK, nothing delivered, and no client whose id maps to that loop
     * could connect any more. Written byte by byte (MQTT 3.1.1), since Paho sets the flag only on its own resends.
     */
    @Test(timeout = 60_000)
    public void aPublicationResentWithTheDupFlagIsDeliveredAndTheBrokerStaysWhole() throws Exception {
        int port = freePort();
        Path data = tmp.newFolder("broker").toPath();
        try (EmbeddedBroker broker = new EmbeddedBroker(BrokerSettings.parse(config(port, "s3cret")), data)) {
            String url = "tcp://127.0.0.1:" + port;
            BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
            MqttClient subscriber = new MqttClient(url, "dup-subscriber", new MemoryPersistence());
            subscriber.connect(options("betaas", "s3cret"));
            subscriber.subscribe("betaas/things/dup/senml", 1,
                    (topic, m) -> received.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            try (Socket raw = new Socket("127.0.0.1", port)) {
                raw.setSoTimeout(10_000);
                OutputStream out = raw.getOutputStream();
                DataInputStream in = new DataInputStream(raw.getInputStream());
                out.write(packet(0x10, text("MQTT"), new byte[]{4, (byte) 0xC2, 0, 60}, text("dup-publisher"),
                        text("betaas"), text("s3cret"))); // CONNECT: level 4, user, password, clean session
                byte[] connack = new byte[4];
                in.readFully(connack);
                assertEquals("CONNACK accepted", "20020000", hex(connack));
                // PUBLISH, DUP and QoS 1, packet id 7
                out.write(packet(0x3A, text("betaas/things/dup/senml"), new byte[]{0, 7},
                        "[{\"n\":\"t\",\"v\":1}]".getBytes(StandardCharsets.UTF_8)));
                byte[] puback = new byte[4];
                try {
                    in.readFully(puback);
                } catch (java.net.SocketTimeoutException e) {
                    fail("no PUBACK for a publication resent with the DUP flag in 10 s");
                }
                assertEquals("PUBACK of packet 7", "40020007", hex(puback));
            }
            assertEquals("[{\"n\":\"t\",\"v\":1}]", received.poll(10, TimeUnit.SECONDS));
            // every session event loop still serves: clients of many ids (the publisher's own among them) connect
            List<String> ids = new ArrayList<>(List.of("dup-publisher"));
            for (int i = 0; i < 8; i++) {
                ids.add("after-dup-" + i);
            }
            for (String id : ids) {
                MqttClient c = new MqttClient(url, id, new MemoryPersistence());
                MqttConnectOptions o = options("betaas", "s3cret");
                o.setConnectionTimeout(5);
                c.connect(o);
                c.disconnect();
                c.close();
            }
            subscriber.disconnect();
            subscriber.close();
        }
    }

    /** An MQTT packet: its first byte, the remaining length (one byte: short packets only), then the parts. */
    private static byte[] packet(int first, byte[]... parts) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        assertTrue("test packets stay below 128 bytes", body.size() < 128);
        java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
        packet.write(first);
        packet.write(body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** An MQTT UTF-8 string: two bytes of length, then the bytes. */
    private static byte[] text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 2];
        out[0] = (byte) (b.length >> 8);
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
