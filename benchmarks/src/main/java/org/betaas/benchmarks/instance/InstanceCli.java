package org.betaas.benchmarks.instance;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.benchmarks.Main;
import org.betaas.service.instance.internal.bus.Envelope;
import org.betaas.service.instance.internal.bus.InstanceCodec;
import org.betaas.service.instance.internal.bus.InstanceKey;
import org.betaas.service.instance.internal.bus.MessageSigner;
import org.betaas.service.instance.internal.bus.MessageVerifier;
import org.betaas.service.instance.internal.bus.OfflineNotice;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code instance [--gateways N] [--seconds S] [--period-ms P] [--kill K] [--broker tcp://HOST:PORT]}: N simulated
 * gateways publish signed, retained status messages (docs/instance-protocol.md) every P ms to an MQTT broker (a
 * private mosquitto on 127.0.0.1 unless --broker is given) for S seconds, while one observer gateway verifies,
 * decodes and keeps them; then K of them lose their connection abruptly and the observer times their last wills.
 * Prints one JSON object: message size, rate, observer cost, publish-to-view latency and detection time.
 */
public final class InstanceCli implements Main.SubCommand {

    private static final String INSTANCE = "bench";
    private static final String KEY = "benchmark-instance-key-0123456789";

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> o = options(args);
        int gateways = Integer.parseInt(o.getOrDefault("gateways", "100"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        int periodMs = Integer.parseInt(o.getOrDefault("period-ms", "5000"));
        int kill = Math.min(gateways, Integer.parseInt(o.getOrDefault("kill", "5")));
        String brokerUrl = o.get("broker");
        Process broker = null;
        Path dir = Files.createTempDirectory("betaas-instance-bench");
        try {
            if (brokerUrl == null) {
                int port = freePort();
                broker = startMosquitto(dir, port);
                brokerUrl = "tcp://127.0.0.1:" + port;
            }
            out.println(simulate(brokerUrl, gateways, seconds, periodMs, kill));
            return 0;
        } finally {
            if (broker != null) {
                broker.destroy();
                broker.waitFor(5, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String simulate(String url, int n, int seconds, int periodMs, int kill) throws Exception {
        InstanceCodec codec = new InstanceCodec();
        InstanceKey key = new InstanceKey(KEY);
        Clock clock = Clock.systemUTC();
        MessageVerifier verifier = new MessageVerifier(INSTANCE, key, Duration.ofSeconds(30), 100_000, clock);
        Map<String, GatewayStatus> view = new ConcurrentHashMap<>();
        Map<String, Long> killedAt = new ConcurrentHashMap<>();
        List<Long> detections = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong bytes = new AtomicLong();
        AtomicLong statuses = new AtomicLong();
        AtomicLong handlingNanos = new AtomicLong();
        AtomicLong maxSize = new AtomicLong();
        ExecutorService inbound = Executors.newSingleThreadExecutor();

        MqttAsyncClient observer = new MqttAsyncClient(url, "observer", new MemoryPersistence());
        MqttConnectOptions oo = new MqttConnectOptions();
        oo.setMaxInflight(1000);
        observer.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                byte[] payload = m.getPayload();
                long arrived = System.currentTimeMillis();
                inbound.execute(() -> {
                    long t0 = System.nanoTime();
                    Envelope e = codec.envelope(payload);
                    boolean offline = Envelope.OFFLINE.equals(e.type());
                    if (verifier.verify(e, e.from(), !offline) instanceof MessageVerifier.Verdict.Accepted) {
                        if (offline) {
                            Long at = killedAt.get(e.from());
                            if (at != null) {
                                detections.add(arrived - at);
                            }
                        } else {
                            GatewayStatus s = codec.status(e.payload());
                            view.put(s.gatewayId(), s);
                            statuses.incrementAndGet();
                            bytes.addAndGet(payload.length);
                            maxSize.accumulateAndGet(payload.length, Math::max);
                            latencies.add(arrived - e.ts());
                        }
                    }
                    handlingNanos.addAndGet(System.nanoTime() - t0);
                });
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        observer.connect(oo).waitForCompletion(10_000);
        observer.subscribe("betaas/" + INSTANCE + "/gateways/+/status", 1).waitForCompletion(10_000);

        List<MqttAsyncClient> clients = new ArrayList<>();
        List<MessageSigner> signers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "gw-%03d", i);
            MessageSigner signer = new MessageSigner(INSTANCE, id, key, clock);
            MqttAsyncClient c = new MqttAsyncClient(url, "sim-" + id, new MemoryPersistence());
            MqttConnectOptions co = new MqttConnectOptions();
            co.setKeepAliveInterval(10);
            co.setWill(topic(id), codec.envelope(signer.sign(Envelope.OFFLINE,
                    codec.write(new OfflineNotice(id, "s-" + id)))), 1, true);
            c.connect(co).waitForCompletion(10_000);
            clients.add(c);
            signers.add(signer);
        }
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        Random random = new Random(42);
        long start = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            int g = i;
            timer.scheduleAtFixedRate(() -> {
                try {
                    String id = String.format(Locale.ROOT, "gw-%03d", g);
                    String json = codec.write(status(id, n, g));
                    clients.get(g).publish(topic(id), codec.envelope(signers.get(g).sign(Envelope.STATUS, json)), 1,
                            true);
                } catch (Exception e) {
                    // a full in-flight window drops this period's status, as a real gateway would
                }
            }, random.nextInt(periodMs), periodMs, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(seconds * 1000L);
        timer.shutdownNow();
        long elapsedMs = System.currentTimeMillis() - start;
        long received = statuses.get();
        Thread.sleep(500);
        int seen = view.size();
        // abrupt ends: no DISCONNECT, so the broker publishes their wills
        for (int i = 0; i < kill; i++) {
            killedAt.put(String.format(Locale.ROOT, "gw-%03d", i), System.currentTimeMillis());
            clients.get(i).disconnectForcibly(0, 0, false);
        }
        long waitEnd = System.currentTimeMillis() + 30_000;
        while (detections.size() < kill && System.currentTimeMillis() < waitEnd) {
            Thread.sleep(10);
        }
        for (int i = kill; i < n; i++) {
            clients.get(i).disconnect().waitForCompletion(5_000);
            clients.get(i).close();
        }
        observer.disconnect().waitForCompletion(5_000);
        inbound.shutdown();
        inbound.awaitTermination(10, TimeUnit.SECONDS);

        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] det = detections.stream().mapToLong(Long::longValue).sorted().toArray();
        long handled = Math.max(1, verifier.counters().get("accepted"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("gateways", n);
        r.put("periodMs", periodMs);
        r.put("seconds", elapsedMs / 1000.0);
        r.put("gatewaysSeen", seen);
        r.put("statusMessages", received);
        r.put("statusBytesMean", received == 0 ? 0 : bytes.get() / received);
        r.put("statusBytesMax", maxSize.get());
        r.put("messagesPerSecond", round(received * 1000.0 / elapsedMs));
        r.put("bytesPerSecond", Math.round(bytes.get() * 1000.0 / elapsedMs));
        r.put("observerMicrosPerMessage", round(handlingNanos.get() / 1000.0 / handled));
        r.put("latencyMsP50", lat.length == 0 ? -1 : lat[lat.length / 2]);
        r.put("latencyMsP99", lat.length == 0 ? -1 : lat[(int) Math.min(lat.length - 1, lat.length * 0.99)]);
        r.put("killed", kill);
        r.put("detected", det.length);
        r.put("detectionMsMean", det.length == 0 ? -1 : round(Arrays.stream(det).average().orElse(-1)));
        r.put("detectionMsMax", det.length == 0 ? -1 : det[det.length - 1]);
        r.put("counters", verifier.counters());
        return new ObjectMapper().writeValueAsString(r);
    }

    /** A realistic status: resources, headroom, two VMs, an opinion on every peer. */
    static GatewayStatus status(String id, int n, int index) {
        Map<String, Double> trust = new LinkedHashMap<>();
        for (int j = 0; j < n; j++) {
            if (j != index) {
                trust.put(String.format(Locale.ROOT, "gw-%03d", j), 0.9 + (j % 10) / 100.0);
            }
        }
        GatewayStatus.Amount cap = new GatewayStatus.Amount(4, 7936, 100_220);
        return new GatewayStatus(id, "0.1.0.SNAPSHOT", true, "s-" + id,
                new GatewayStatus.Resources(4, 0.23, 8_321_499_136L, 2_147_483_648L, 105_088_212_992L,
                        21_474_836_480L, null),
                new GatewayStatus.Headroom(cap, new GatewayStatus.Amount(2, 192, 128),
                        new GatewayStatus.Amount(0.92, 2048.5, 20480.2), new GatewayStatus.Amount(1.31, 2300.7,
                        20600.1), true),
                List.of(new GatewayStatus.VmSummary("vm-" + id + "-1", "tiny-x86_64", "libvirt", "RUNNING", 1, 96,
                                1_763_767_900_000L),
                        new GatewayStatus.VmSummary("vm-" + id + "-2", "sensor-filter", "libvirt", "RUNNING", 1, 96,
                                1_763_767_900_000L)),
                new GatewayStatus.TrustInputs(null, null, 0),
                new GatewayStatus.Capabilities(true, "x86_64", List.of("libvirt"), 1.0, 4.0), false, trust, List.of(),
                System.currentTimeMillis());
    }

    private static String topic(String id) {
        return "betaas/" + INSTANCE + "/gateways/" + id + "/status";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected '" + args[i] + "': options are --name value");
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    private static Process startMosquitto(Path dir, int port) throws Exception {
        if (!new File("/usr/sbin/mosquitto").canExecute()) {
            throw new IllegalStateException("mosquitto is not installed: apt-get install mosquitto, or give --broker");
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                + "max_queued_messages 100000\nmax_inflight_messages 1000\n");
        Process p = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new IllegalStateException("mosquitto did not start on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
