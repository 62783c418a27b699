package org.betaas.benchmarks.senml;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.betaas.adaptation.mqtt.internal.MqttAdaptor;
import org.betaas.adaptation.things.internal.H2ThingRegistry;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.ThingFilter;
import org.betaas.benchmarks.Main;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * SenML throughput: one Paho publisher sends N SenML messages (QoS 1) to a broker; the gateway path
 * (MQTT adaptor -> SenML decoder -> H2 thing registry -> one subscriber) and {@code mosquitto_sub} read the same
 * stream from the same broker in the same run. Prints messages/s of each, their ratio and the latency from
 * publish to delivery (p50/p99) of each path. The broker is a Debian mosquitto started here on a free port
 * (or {@code --broker tcp://host:port} for a running one).
 */
public final class SenmlThroughputCli implements Main.SubCommand {

    private static final Pattern SENT = Pattern.compile("\"sent\",\"v\":([0-9.eE+]+)");

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int messages = 50_000;
        int rate = 0;
        String broker = null;
        int workers = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--broker" -> broker = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--ingest-workers" -> workers = Integer.parseInt(args[++i]);
                default -> {
                    err.println("usage: senml [--messages N] [--rate MSG_PER_S (0: as fast as possible)] [--broker tcp://host:port]"
                            + " [--ingest-workers N (0: the adaptor's default)]");
                    return 2;
                }
            }
        }
        Path dir = Files.createTempDirectory("senml-bench");
        Process mosquitto = null;
        if (broker == null) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("mosquitto.conf");
            // the default max_queued_messages (1000) silently drops QoS 1 messages under load
            Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    + "max_queued_messages 1000000\nmax_inflight_messages 1000\n");
            mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
            broker = "tcp://127.0.0.1:" + port;
            Thread.sleep(500);
        }
        String hostPort = broker.substring("tcp://".length());
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        int n = messages;
        long[] gatewayAt = new long[n];
        long[] gatewayLatency = new long[n];
        long[] subAt = new long[n];
        long[] subLatency = new long[n];
        AtomicInteger gatewayCount = new AtomicInteger();
        AtomicInteger subCount = new AtomicInteger();
        CountDownLatch gatewayDone = new CountDownLatch(1);
        CountDownLatch subDone = new CountDownLatch(1);
        Process sub = null;
        try (H2ThingRegistry registry = new H2ThingRegistry(H2ThingRegistry.open("jdbc:h2:file:"
                + dir.resolve("things").toAbsolutePath()), 1000);
             MqttAdaptor adaptor = MqttAdaptor.createWithIngestWorkers(broker, "", "", "bench-gateway", registry,
                     workers);
             Subscription subscription = registry.subscribe("bench", ThingFilter.all(), 100_000, (thing, ms) -> {
                 long now = System.nanoTime();
                 for (Measurement m : ms) {
                     if (m.name().equals("sent")) {
                         int i = gatewayCount.getAndIncrement();
                         if (i < n) {
                             gatewayAt[i] = now;
                             gatewayLatency[i] = now - (long) (double) (Double) m.value();
                         }
                         if (i == n - 1) {
                             gatewayDone.countDown();
                         }
                     }
                 }
             })) {
            adaptor.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!adaptor.connected() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!adaptor.connected()) {
                err.println("the adaptor could not connect to " + broker + ": " + adaptor.stats().connection());
                return 1;
            }
            sub = new ProcessBuilder("mosquitto_sub", "-h", host, "-p", port, "-q", "1", "-t", "betaas/things/+/senml",
                    "-C", Integer.toString(n)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Process subProcess = sub;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(subProcess.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        long now = System.nanoTime();
                        Matcher m = SENT.matcher(line);
                        int i = subCount.getAndIncrement();
                        if (i < n && m.find()) {
                            subAt[i] = now;
                            subLatency[i] = now - (long) Double.parseDouble(m.group(1));
                        }
                        if (i == n - 1) {
                            subDone.countDown();
                        }
                    }
                } catch (Exception e) {
                    subDone.countDown();
                }
            }, "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(1000); // mosquitto_sub subscribed
            MqttAsyncClient publisher = new MqttAsyncClient(broker, "bench-publisher", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMaxInflight(1000);
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            publisher.connect(o).waitForCompletion(10_000);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (rate > 0) { // paced: latency then shows processing, not queueing behind a flood
                    long due = start + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                byte[] payload = String.format(Locale.ROOT,
                        "[{\"bn\":\"bench-%d:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":%d.5},{\"n\":\"sent\",\"v\":%d}]",
                        i % 10, 20 + i % 7, System.nanoTime()).getBytes(StandardCharsets.UTF_8);
                while (true) {
                    try {
                        publisher.publish("betaas/things/bench-" + (i % 10) + "/senml", payload, 1, false);
                        break;
                    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                        if (e.getReasonCode() != org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_MAX_INFLIGHT) {
                            throw e;
                        }
                        Thread.onSpinWait();
                    }
                }
            }
            boolean gatewayAll = gatewayDone.await(120, TimeUnit.SECONDS);
            boolean subAll = subDone.await(60, TimeUnit.SECONDS);
            publisher.disconnect().waitForCompletion(5000);
            publisher.close();
            int g = Math.min(gatewayCount.get(), n);
            int s = Math.min(subCount.get(), n);
            double gatewayRate = rate(gatewayAt, g);
            double subRate = rate(subAt, s);
            out.printf(Locale.ROOT, "{\"messages\":%d,\"rate\":%d,\"broker\":\"%s\",\"gateway\":{\"received\":%d,\"msgPerS\":%.0f,"
                            + "\"latencyP50Ms\":%.2f,\"latencyP99Ms\":%.2f},\"mosquittoSub\":{\"received\":%d,"
                            + "\"msgPerS\":%.0f,\"latencyP50Ms\":%.2f,\"latencyP99Ms\":%.2f},\"ratio\":%.2f,"
                            + "\"addedLatencyP50Ms\":%.2f,\"addedLatencyP99Ms\":%.2f,\"rejected\":%d,\"dropped\":%d}%n",
                    n, rate, broker, g, gatewayRate, pct(gatewayLatency, g, 50), pct(gatewayLatency, g, 99), s, subRate,
                    pct(subLatency, s, 50), pct(subLatency, s, 99), gatewayRate / subRate,
                    pct(gatewayLatency, g, 50) - pct(subLatency, s, 50), pct(gatewayLatency, g, 99) - pct(subLatency, s, 99),
                    adaptor.stats().rejectedTotal(), subscription.stats().dropped());
            return gatewayAll && subAll ? 0 : 1;
        } finally {
            if (sub != null) {
                sub.destroy();
            }
            if (mosquitto != null) {
                mosquitto.destroy();
                mosquitto.waitFor(5, TimeUnit.SECONDS);
            }
            deleteQuietly(dir.toFile());
        }
    }

    /** Messages per second between the first and the last arrival. */
    private static double rate(long[] at, int count) {
        if (count < 2) {
            return 0;
        }
        long first = Arrays.stream(at, 0, count).min().orElse(0);
        long last = Arrays.stream(at, 0, count).max().orElse(0);
        return (count - 1) / ((last - first) / 1e9);
    }

    private static double pct(long[] latencies, int count, int p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return sorted[Math.min(count - 1, (int) Math.ceil(p / 100.0 * count) - 1)] / 1e6;
    }

    private static void deleteQuietly(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteQuietly(c);
            }
        }
        f.delete();
    }
}
