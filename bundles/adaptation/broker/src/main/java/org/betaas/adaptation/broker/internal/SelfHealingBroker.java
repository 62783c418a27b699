package org.betaas.adaptation.broker.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker, restarted when one of Moquette's session event loops dies. Such a thread is never replaced,
 * and every client whose id maps to it can no longer connect (its CONNECT is queued to nobody) while the others
 * carry on, so nothing else shows it: Moquette 0.17 had several ways to get there (a resent publication, fixed in
 * {@link EmbeddedBroker}; a full command queue; its H2 store's released buffers). A restart on the same data
 * folder gives every loop back, and keeps what any restart of the broker keeps (docs/architecture.md). Plain Java.
 */
final class SelfHealingBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SelfHealingBroker.class);
    /** Restarts are at least this far apart, so that a broker that keeps failing does not restart in a loop. */
    static final long MIN_RESTART_SPACING_MILLIS = 30_000;

    private final BrokerSettings settings;
    private final Path dataDir;
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "betaas-broker-restart");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger generation = new AtomicInteger();
    private volatile EmbeddedBroker broker;
    private final AtomicBoolean restartPending = new AtomicBoolean();
    private volatile long lastRestartNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_RESTART_SPACING_MILLIS);
    private volatile boolean closed;
    /** Why the broker is down between a failed restart and the next try; null while it runs. */
    private volatile String down;

    /** Starts the broker; throws when it cannot (its port taken). */
    SelfHealingBroker(BrokerSettings settings, Path dataDir) throws IOException {
        this.settings = settings;
        this.dataDir = dataDir;
        this.broker = start();
    }

    /** A broker whose loop deaths count only while it is the current one (not once a restart replaced it). */
    private EmbeddedBroker start() throws IOException {
        int generation = this.generation.incrementAndGet();
        return new EmbeddedBroker(settings, dataDir, error -> {
            if (generation == this.generation.get()) {
                loopDied(error);
            }
        });
    }

    /** On the dying loop's thread: only schedules the restart. */
    private void loopDied(Throwable error) {
        LOG.error("Embedded MQTT broker: a Moquette session event loop stopped ({}); the clients mapped to it cannot"
                + " connect until the broker restarts, which it does now", String.valueOf(error), error);
        // no lock here: the restart holds it while stopping Moquette, which joins this very thread
        if (closed || !restartPending.compareAndSet(false, true)) {
            return;
        }
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRestartNanos);
        long delay = Math.max(0, MIN_RESTART_SPACING_MILLIS - sinceLast);
        restarter.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        restartPending.set(false);
        if (closed) {
            return;
        }
        lastRestartNanos = System.nanoTime();
        generation.incrementAndGet(); // what the old broker's loops report while it stops no longer counts
        // Whatever fails here is caught, and the start tried again: an exception out of this task would end it
        // silently (the executor keeps it), leaving the gateway without a broker for good. Seen with a full disk:
        // Moquette can neither stop cleanly (its queue index) nor start (its stores) until there is room again.
        try {
            broker.close();
        } catch (RuntimeException | Error e) {
            LOG.warn("Embedded MQTT broker: stopping it for the restart failed ({}); starting it anyway", e.toString());
        }
        try {
            broker = start();
            down = null;
            LOG.warn("Embedded MQTT broker restarted after a session event loop stopped (restart {})",
                    restarts.incrementAndGet());
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("Embedded MQTT broker: the restart failed ({}); trying again in {} s", e.toString(),
                    MIN_RESTART_SPACING_MILLIS / 1000);
            down = "its restart failed at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " (" + e
                    + "); tried again every " + MIN_RESTART_SPACING_MILLIS / 1000 + " s (a full disk?)";
            restartPending.set(true);
            restarter.schedule(this::restart, MIN_RESTART_SPACING_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Why the broker is not running now (a restart failed and waits to be tried again), if it is not. */
    Optional<String> down() {
        return Optional.ofNullable(down);
    }

    /** How often the broker was restarted after a session event loop stopped. */
    int restarts() {
        return restarts.get();
    }

    int connectedClients() {
        try {
            return broker.connectedClients();
        } catch (RuntimeException e) {
            return 0; // between a failed restart and the next try: no server
        }
    }

    Map<String, Long> offlineBacklog() {
        EmbeddedBroker current = broker;
        return current == null ? Map.of() : current.offlineBacklog();
    }

    @Override
    public synchronized void close() {
        closed = true;
        restarter.shutdownNow();
        broker.close();
    }
}
