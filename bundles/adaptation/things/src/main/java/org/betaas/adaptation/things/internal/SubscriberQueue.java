package org.betaas.adaptation.things.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber: a bounded queue drained by its own daemon thread. {@link #offer} never blocks: when the
 * queue is full the batch is dropped and counted.
 */
final class SubscriberQueue implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberQueue.class);

    private record Batch(Thing thing, List<Measurement> measurements) {
    }

    private final String subscriber;
    private final ThingFilter filter;
    /** The filter's id pattern, compiled once ({@link ThingFilter#matches} compiles it on every call). */
    private final Pattern idPattern;
    private final int capacity;
    private final MeasurementListener listener;
    private final BlockingQueue<Batch> queue;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private final Consumer<SubscriberQueue> onClose;
    private volatile boolean open = true;

    SubscriberQueue(String subscriber, ThingFilter filter, int capacity, MeasurementListener listener,
                    Consumer<SubscriberQueue> onClose) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity of subscriber '" + subscriber + "' is " + capacity
                    + ": use at least 1");
        }
        this.subscriber = subscriber;
        this.filter = filter;
        this.idPattern = Pattern.compile(filter.idPattern());
        this.capacity = capacity;
        this.listener = listener;
        this.onClose = onClose;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, "betaas-things-subscriber-" + subscriber);
        thread.setDaemon(true);
        thread.start();
    }

    boolean wants(Thing thing) {
        // the same test as ThingFilter.matches, without compiling the pattern for every report
        return open && idPattern.matcher(thing.id()).matches()
                && filter.kind().map(k -> k == thing.kind()).orElse(true)
                && filter.protocol().map(p -> p.equals(thing.protocol())).orElse(true);
    }

    void offer(Thing thing, List<Measurement> measurements) {
        if (!queue.offer(new Batch(thing, measurements))) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1, 2, 4, 8...: a log line that does not flood
                LOG.warn("Subscriber '{}' is too slow: {} batch(es) dropped so far (queue of {})", subscriber, n,
                        capacity);
            }
        }
    }

    private void drain() {
        while (open || !queue.isEmpty()) {
            Batch batch;
            try {
                batch = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                continue;
            }
            try {
                listener.onMeasurements(batch.thing(), batch.measurements());
                delivered.incrementAndGet();
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.warn("Subscriber '{}' failed on measurements of {}", subscriber, batch.thing().id(), e);
            }
        }
    }

    @Override
    public String subscriber() {
        return subscriber;
    }

    @Override
    public SubscriberStats stats() {
        return new SubscriberStats(subscriber, delivered.get(), dropped.get(), queue.size(), capacity,
                failures.get());
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        queue.clear();
        thread.interrupt();
        onClose.accept(this);
    }
}
