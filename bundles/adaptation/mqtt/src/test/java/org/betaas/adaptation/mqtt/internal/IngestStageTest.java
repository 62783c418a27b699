package org.betaas.adaptation.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Test;

public class IngestStageTest {

    /** What the registry took, per topic, in order; and every message id it took. */
    private final Map<String, List<Integer>> byTopic = new ConcurrentHashMap<>();
    private final Set<Integer> processed = ConcurrentHashMap.newKeySet();
    /** Acks in the order they were sent, and acks sent before the registry had the message. */
    private final List<Integer> acks = new CopyOnWriteArrayList<>();
    private final List<Integer> earlyAcks = new CopyOnWriteArrayList<>();
    private IngestStage stage;

    @After
    public void closeStage() {
        if (stage != null) {
            stage.close(5000);
        }
    }

    private static byte[] payload(int id) {
        return Integer.toString(id).getBytes(StandardCharsets.US_ASCII);
    }

    private void record(String topic, byte[] payload) {
        int id = Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
        byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(id);
        processed.add(id);
    }

    /**
     * One worker and a queue of {@code queue}, whose registry is stuck: each message counts {@code started} down,
     * then waits for {@code release} before the registry has it.
     */
    private IngestStage stuckStage(int queue, CountDownLatch started, CountDownLatch release) {
        return new IngestStage("test-ingest", 1, queue, 10_000, (topic, payload) -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            record(topic, payload);
        }, this::ack);
    }

    private void ack(int messageId, int qos) {
        if (!processed.contains(messageId)) {
            earlyAcks.add(messageId);
        }
        acks.add(messageId);
    }

    private boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    public void keepsEachTopicInOrderAndAcksInArrivalOrderOnlyOnceProcessed() throws Exception {
        stage = new IngestStage("test-ingest", 4, 64, 10_000, (topic, payload) -> {
            if (ThreadLocalRandom.current().nextInt(20) == 0) { // workers finish out of arrival order
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            record(topic, payload);
        }, this::ack);
        int n = 5000;
        for (int i = 1; i <= n; i++) {
            assertTrue(stage.submit("things/t" + (i % 13) + "/senml", payload(i), i, 1));
        }
        assertTrue("all acknowledged, acked " + acks.size(), await(() -> acks.size() == n));
        assertEquals("acks sent before the registry had the message", List.of(), earlyAcks);
        for (int i = 0; i < n; i++) {
            assertEquals("ack order", i + 1, (int) acks.get(i));
        }
        assertEquals(13, byTopic.size());
        byTopic.forEach((topic, ids) -> {
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(topic + " out of order: " + ids, ids.get(i - 1) < ids.get(i));
            }
        });
        assertEquals(n, byTopic.values().stream().mapToInt(List::size).sum());
        assertEquals(0, stage.inFlight());
    }

    @Test
    public void aFullQueueBlocksTheCallerInsteadOfDropping() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        stage = stuckStage(2, started, release);
        // 1 being processed + 2 queued: the stage is full
        assertTrue(stage.submit("t", payload(1), 1, 1));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(stage.submit("t", payload(2), 2, 1));
        assertTrue(stage.submit("t", payload(3), 3, 1));
        assertEquals(0, stage.blocked());
        assertTrue(await(() -> stage.inFlight() == 3));
        AtomicBoolean fourthTaken = new AtomicBoolean();
        Thread paho = new Thread(() -> fourthTaken.set(stage.submit("t", payload(4), 4, 1)), "fake-paho");
        paho.start();
        paho.join(500);
        assertTrue("the caller must wait for room", paho.isAlive());
        assertTrue(await(() -> stage.blocked() == 1));
        assertEquals("nothing acknowledged while the registry has nothing", List.of(), acks);
        release.countDown();
        paho.join(10_000);
        assertTrue("the waiting message was taken", fourthTaken.get());
        assertTrue(await(() -> acks.size() == 4));
        assertEquals(List.of(1, 2, 3, 4), acks);
        assertEquals(List.of(1, 2, 3, 4), byTopic.get("t"));
        assertEquals(0, stage.refused());
    }

    @Test
    public void closeDrainsWhatIsQueuedThenRefusesWithoutAck() throws Exception {
        stage = new IngestStage("test-ingest", 2, 100, 10_000, (topic, payload) -> {
            try {
                Thread.sleep(2); // a slow registry: the queues are still full when close() is called
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            record(topic, payload);
        }, this::ack);
        for (int i = 1; i <= 80; i++) {
            assertTrue(stage.submit("t" + (i % 3), payload(i), i, 1));
        }
        assertTrue("still queued when closing", stage.inFlight() > 10);
        stage.close(10_000);
        assertEquals("every queued message reached the registry", 80, processed.size());
        assertEquals("and was acknowledged, in order", 80, acks.size());
        for (int i = 0; i < 80; i++) {
            assertEquals(i + 1, (int) acks.get(i));
        }
        assertFalse("closed: not taken", stage.submit("t", payload(81), 81, 1));
        Thread.sleep(50);
        assertFalse("never processed", processed.contains(81));
        assertFalse("never acknowledged (the broker sends it again)", acks.contains(81));
        assertEquals(1, stage.refused());
    }

    @Test
    public void aCallerStuckOnAFullQueueIsReleasedByCloseWithoutAck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        stage = stuckStage(1, started, release);
        assertTrue(stage.submit("t", payload(1), 1, 1));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(stage.submit("t", payload(2), 2, 1)); // queued: the stage is full
        assertEquals(0, stage.blocked());
        AtomicBoolean thirdTaken = new AtomicBoolean(true);
        Thread paho = new Thread(() -> thirdTaken.set(stage.submit("t", payload(3), 3, 1)), "fake-paho");
        paho.start();
        assertTrue(await(() -> stage.blocked() == 1));
        Thread closer = new Thread(() -> stage.close(10_000), "closer");
        closer.start();
        paho.join(5000);
        assertFalse("the blocked caller returns once the stage stops", paho.isAlive());
        assertFalse("and its message was not taken", thirdTaken.get());
        release.countDown();
        closer.join(10_000);
        assertEquals("what was taken is drained and acknowledged", List.of(1, 2), acks);
        assertFalse(processed.contains(3));
    }

    @Test
    public void acksOfAnEarlierConnectionAreNeverSent() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        stage = stuckStage(10, new CountDownLatch(1), release);
        assertTrue(stage.submit("t", payload(1), 1, 1));
        assertTrue(stage.submit("t", payload(2), 2, 1));
        stage.newConnection(); // lost while 1 and 2 were being processed; the broker sends them again
        assertTrue(stage.submit("t", payload(3), 3, 1));
        release.countDown();
        assertTrue(await(() -> processed.size() == 3 && stage.inFlight() == 0));
        assertEquals(List.of(3), acks);
        assertEquals(2, stage.notAcked());
    }

    @Test
    public void aFailingProcessorNeitherKillsTheWorkerNorHoldsBackAcks() throws Exception {
        stage = new IngestStage("test-ingest", 1, 10, 10_000, (topic, payload) -> {
            record(topic, payload);
            if (topic.equals("bad")) {
                throw new IllegalStateException("registry failure");
            }
        }, this::ack);
        assertTrue(stage.submit("bad", payload(1), 1, 1));
        assertTrue(stage.submit("good", payload(2), 2, 1));
        assertTrue(stage.submit("qos0", payload(3), 3, 0));
        assertTrue(stage.submit("good", payload(4), 4, 1));
        assertTrue(await(() -> processed.size() == 4 && stage.inFlight() == 0));
        assertEquals("QoS 0 messages are not acknowledged", List.of(1, 2, 4), acks);
    }

    @Test
    public void anAckThatCannotBeSentDoesNotStopTheOthers() throws Exception {
        List<Integer> sent = new ArrayList<>();
        stage = new IngestStage("test-ingest", 1, 10, 10_000, this::record, (id, qos) -> {
            if (id == 2) {
                throw new IllegalStateException("not connected");
            }
            synchronized (sent) {
                sent.add(id);
            }
        });
        for (int i = 1; i <= 3; i++) {
            assertTrue(stage.submit("t", payload(i), i, 1));
        }
        assertTrue(await(() -> stage.inFlight() == 0));
        synchronized (sent) {
            assertEquals(List.of(1, 3), sent);
        }
        assertEquals(1, stage.notAcked());
    }

    @Test(expected = IllegalArgumentException.class)
    public void lessQueueThanWorkersIsRefused() {
        new IngestStage("test-ingest", 4, 3, 10_000, this::record, this::ack);
    }
}
