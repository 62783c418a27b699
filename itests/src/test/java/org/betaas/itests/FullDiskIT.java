package org.betaas.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * The gateway's disk fills up (an SD card full of logs, a download gone wrong) and is freed again: the real
 * distribution runs with its data folder on a small tmpfs of its own, the test fills it while measurements come
 * in, then deletes the filler. H2 closes a database for good when a write fails, and every store of the gateway
 * used to fail from then on, until a restart, though the disk had room again. Needs root (mount); skipped without.
 */
public class FullDiskIT {

    private static final String PASSWORD = "it-full-disk-secret";
    private static final String THING = "it-full-1";

    private KarafProcess karaf;
    private Path mounted;
    private Path filler;

    @Test
    public void aGatewayWhoseDiskWasFullStoresMeasurementsAgainOnceItHasRoom() throws Exception {
        karaf = KarafProcess.unpack("full-disk");
        Path data = karaf.home().resolve("data");
        Files.createDirectories(data);
        ProcessRun mount = ProcessRun.of(List.of("mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs",
                data.toString()), null, 30);
        Assume.assumeTrue("a disk of its own needs mount (root): " + mount.output(), mount.exitCode() == 0);
        mounted = data;
        String url = karaf.ownBroker(PASSWORD);
        karaf.start();
        karaf.await("betaas:adaptation-stats", out -> out.contains("Connection  connected to " + url));

        publish(url, 0, 50);
        awaitStored(0, 50);

        // a sensor's stream goes on while the disk fills up (the broker may refuse values: it cannot store them)
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = new Thread(() -> {
            for (int i = 50; streaming.get(); i++) {
                try {
                    publish(url, i, i + 1);
                    Thread.sleep(50);
                } catch (MqttException refused) {
                    // while the disk is full
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "it-full-stream");
        stream.start();
        filler = data.resolve("filler");
        try {
            fill(filler);
            awaitNoticed();
        } finally {
            streaming.set(false);
            stream.join(TimeUnit.SECONDS.toMillis(30));
        }

        Files.delete(filler);
        int first = 100_000;
        publishOnceTaken(url, first, first + 50);
        awaitStored(first, first + 50);
        String info = karaf.client("betaas:bigdata-info");
        assertTrue(info, !info.contains("cannot be read"));
        // and the thing registry wrote its last value: it is there after a restart
        karaf.stop();
        karaf.start();
        String list = karaf.await("betaas:thing-list", out -> !KarafProcess.row(out, THING).isEmpty());
        assertTrue(list, KarafProcess.row(list, THING).contains("seq=" + (first + 49)));
    }

    /**
     * Waits until the gateway shows that its disk is full: Big Data counts values it could not store, or the broker
     * (which cannot queue them either) has dropped the MQTT adaptor. Which comes first is a race.
     */
    private void awaitNoticed() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String info;
        String stats;
        do {
            info = karaf.client("betaas:bigdata-info");
            stats = karaf.client("betaas:adaptation-stats");
            if (info.contains("could not be stored") || !stats.contains("Connection  connected")) {
                return;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("nothing shows the full disk:\n" + info + "\n" + stats);
    }

    /** Writes zeros until the disk is full (each megabyte on its own, so that the last one fills it). */
    private static void fill(Path file) throws IOException {
        byte[] megabyte = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 1024; i++) {
                out.write(megabyte);
                out.flush();
            }
        } catch (IOException full) {
            return; // No space left on device: what the test wants
        }
        throw new AssertionError("1 GiB written to a 200 MiB disk");
    }

    /** The SenML values from..to-1 of the thing, at QoS 1, each acknowledged by the broker. */
    private static void publish(String url, int from, int to) throws MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(2);
        o.setUserName("betaas");
        o.setPassword(PASSWORD.toCharArray());
        MqttClient c = new MqttClient(url, "it-full-publisher", new MemoryPersistence());
        c.connect(o);
        try {
            for (int i = from; i < to; i++) {
                c.publish("betaas/things/" + THING + "/senml",
                        ("[{\"bn\":\"" + THING + ":\",\"n\":\"seq\",\"v\":" + i + "}]").getBytes(StandardCharsets.UTF_8),
                        1, false);
            }
            c.disconnect();
        } finally {
            c.close();
        }
    }

    /**
     * Publishes, connecting again until the broker takes them (120 s at most): a broker whose disk was full may be
     * restarting.
     */
    private static void publishOnceTaken(String url, int from, int to) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                publish(url, from, to);
                return;
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the broker never took values " + from + ".." + (to - 1), e);
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Waits (60 s at most) until Big Data holds every value from..to-1 of the thing. */
    private void awaitStored(int from, int to) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Integer> missing;
        do {
            Map<Integer, Integer> stored = karaf.storedNumbers(THING, "seq", 100_000);
            missing = IntStream.range(from, to).filter(i -> !stored.containsKey(i)).boxed().toList();
            if (!missing.isEmpty()) {
                Thread.sleep(1000);
            }
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        assertTrue("values not stored: " + missing.subList(0, Math.min(30, missing.size())), missing.isEmpty());
    }

    @After
    public void cleanUp() throws Exception {
        if (filler != null) {
            Files.deleteIfExists(filler);
        }
        if (karaf != null) {
            karaf.close();
        }
        if (mounted != null) {
            // its log, kept for a failure's reader: the disk goes away with the mount
            Path log = mounted.resolve("log/karaf.log");
            if (Files.exists(log)) {
                Files.copy(log, karaf.home().resolveSibling("full-disk-karaf-" + System.currentTimeMillis() + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessRun.of(List.of("umount", "-l", mounted.toString()), null, 30);
        }
    }
}
