package org.betaas.adaptation.mqtt.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage between Paho's single callback thread and the registry. Paho's thread only queues a message; N
 * workers decode it and report it to the registry, and a message is acknowledged (manual acks) only once the
 * registry has it, so no accepted QoS 1 measurement is lost when the adaptor or the gateway stops (a crash still
 * loses its last moments: the registry and Big Data write behind, in memory first).
 * <ul>
 * <li>Per-thing order: a message goes to the worker of its topic (a thing publishes on its own topic, and MQTT
 * orders messages per topic only), so one topic's messages are processed in arrival order.</li>
 * <li>Acknowledgements leave in arrival order, whatever worker finished first (MQTT 3.1.1 section 4.6: PUBACKs in
 * the order the PUBLISH packets were received): a message's ack waits for the acks of those that arrived before.</li>
 * <li>Bounded: when a worker's queue is full, {@link #submit} blocks the caller (Paho then stops reading and the
 * broker keeps the messages) instead of dropping anything. A message the stage cannot take (stopping, interrupted)
 * is not acknowledged: the broker delivers it again in the next session.</li>
 * <li>Acks of messages that arrived before the last {@link #newConnection} are never sent: their packet ids may
 * mean other messages on the new connection.</li>
 * <li>{@link #close} drains: everything queued is processed and acknowledged before it returns.</li>
 * </ul>
 * Plain Java (no Paho, no OSGi): the adaptor passes the processing and the acknowledgement in.
 */
final class IngestStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);

    /** Decodes and reports one message; must not throw (what it throws is logged and the message acked). */
    interface Processor {
        void process(String topic, byte[] payload);
    }

    /** Sends the acknowledgement of a processed message (Paho's {@code messageArrivedComplete}). */
    interface Acknowledger {
        void ack(int messageId, int qos) throws Exception;
    }

    private static final class Pending {
        final String topic;
        final byte[] payload;
        final int messageId;
        final int qos;
        final long epoch;
        /** Guarded by the order queue's lock. */
        boolean done;
        /** Guarded by the order queue's lock: processed or not, this one is never acknowledged. */
        boolean noAck;

        Pending(String topic, byte[] payload, int messageId, int qos, long epoch) {
            this.topic = topic;
            this.payload = payload;
            this.messageId = messageId;
            this.qos = qos;
            this.epoch = epoch;
        }
    }

    private static final Pending STOP = new Pending("", new byte[0], 0, 0, -1);

    private final Processor processor;
    private final Acknowledger acknowledger;
    private final BlockingQueue<Pending>[] queues;
    private final Thread[] workers;
    private final int capacity;
    /** Every message taken and not yet acknowledged (or given up), in arrival order. */
    private final ArrayDeque<Pending> order = new ArrayDeque<>();
    private final LongAdder acked = new LongAdder();
    private final LongAdder notAcked = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder blocked = new LongAdder();
    private final long warnAfterNanos;
    private volatile long epoch;
    private volatile boolean closed;

    /**
     * @param workers       worker threads (1-64)
     * @param capacity      messages queued at most over all workers (at least one per worker)
     * @param warnAfterMillis a blocked caller logs once it has waited this long
     */
    @SuppressWarnings("unchecked")
    IngestStage(String name, int workers, int capacity, long warnAfterMillis, Processor processor,
                Acknowledger acknowledger) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("ingest workers is " + workers + ": use 1-64");
        }
        if (capacity < workers) {
            throw new IllegalArgumentException("ingest queue is " + capacity + ": use at least one per worker ("
                    + workers + ")");
        }
        this.processor = processor;
        this.acknowledger = acknowledger;
        this.capacity = capacity;
        this.warnAfterNanos = TimeUnit.MILLISECONDS.toNanos(warnAfterMillis);
        this.queues = new BlockingQueue[workers];
        this.workers = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            BlockingQueue<Pending> q = new ArrayBlockingQueue<>(capacity / workers);
            queues[i] = q;
            Thread t = new Thread(() -> work(q), name + "-" + i);
            t.setDaemon(true);
            this.workers[i] = t;
        }
        for (Thread t : this.workers) {
            t.start();
        }
    }

    /**
     * Queues one message (called on Paho's callback thread, one message at a time, in arrival order). Blocks
     * while the topic's worker queue is full. Never throws.
     *
     * @return false when the stage did not take the message (stopping or interrupted): it is not acknowledged
     */
    boolean submit(String topic, byte[] payload, int messageId, int qos) {
        if (closed) {
            refused.increment();
            return false;
        }
        Pending p = new Pending(topic, payload, messageId, qos, epoch);
        synchronized (order) {
            order.addLast(p);
        }
        BlockingQueue<Pending> q = queues[Math.floorMod(topic.hashCode(), queues.length)];
        try {
            if (q.offer(p)) {
                return true;
            }
            blocked.increment();
            long start = System.nanoTime();
            boolean warned = false;
            while (!q.offer(p, 100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    giveUp(p);
                    return false;
                }
                if (!warned && System.nanoTime() - start > warnAfterNanos) {
                    warned = true;
                    LOG.warn("MQTT ingest: the registry has not taken a message for {} ms (queue of {} full); "
                            + "holding the broker back until it does", TimeUnit.NANOSECONDS.toMillis(
                            System.nanoTime() - start), capacity);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(p);
            return false;
        }
    }

    private void giveUp(Pending p) {
        refused.increment();
        synchronized (order) {
            p.noAck = true;
            p.done = true;
            ackReady();
        }
    }

    /** The connection changed: what arrived before is processed but never acknowledged on the new one. */
    void newConnection() {
        synchronized (order) {
            epoch++;
        }
    }

    private void work(BlockingQueue<Pending> q) {
        while (true) {
            Pending p;
            try {
                p = q.take();
            } catch (InterruptedException e) {
                return; // close() gave up waiting: what is left stays unacknowledged
            }
            if (p == STOP) {
                return;
            }
            try {
                processor.process(p.topic, p.payload);
            } catch (RuntimeException | Error e) {
                LOG.warn("MQTT ingest: processing a message of {} failed", p.topic, e);
            }
            synchronized (order) {
                p.done = true;
                ackReady();
            }
        }
    }

    /** Acknowledges the processed messages at the head of the arrival order. Holds the order lock. */
    private void ackReady() {
        Pending head;
        while ((head = order.peekFirst()) != null && head.done) {
            order.pollFirst();
            if (head.noAck || head.epoch != epoch) {
                notAcked.increment();
                continue;
            }
            if (head.qos == 0) {
                continue;
            }
            try {
                acknowledger.ack(head.messageId, head.qos);
                acked.increment();
            } catch (Exception e) {
                notAcked.increment();
                LOG.debug("MQTT ingest: ack of message {} not sent ({}); the broker sends it again", head.messageId,
                        e.toString());
            }
        }
    }

    /** Messages queued or being processed. */
    int inFlight() {
        synchronized (order) {
            return order.size();
        }
    }

    long acked() {
        return acked.sum();
    }

    /** Processed (or given up) but not acknowledged: the connection changed, or the ack could not be sent. */
    long notAcked() {
        return notAcked.sum();
    }

    /** Messages the stage did not take (stopping or interrupted): the broker delivers them again. */
    long refused() {
        return refused.sum();
    }

    /** Times the caller had to wait for room in a worker's queue. */
    long blocked() {
        return blocked.sum();
    }

    /**
     * Stops taking messages and drains: every queued message is processed and acknowledged, waiting at most
     * {@code timeoutMillis} in all; the workers are interrupted after that.
     */
    void close(long timeoutMillis) {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (BlockingQueue<Pending> q : queues) {
            try {
                // the caller of submit is the only other producer and it stops within 100 ms of closed
                while (!q.offer(STOP, 100, TimeUnit.MILLISECONDS)) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread t : workers) {
            if (t.isAlive()) {
                LOG.warn("MQTT ingest: {} still busy after {} ms; its queued messages stay unacknowledged (the "
                        + "broker sends them again)", t.getName(), timeoutMillis);
                t.interrupt();
            }
        }
    }

    @Override
    public void close() {
        close(10_000);
    }
}
