package org.betaas.adaptation.broker.internal;

import static org.betaas.adaptation.broker.internal.MoquetteInternals.field;
import static org.betaas.adaptation.broker.internal.MoquetteInternals.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptExceptionMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette with one account, started and stopped as a unit. Plain Java, so tests run it without OSGi.
 *
 * <p>Stopping drains first. Moquette 0.17 acknowledges a QoS 1 PUBLISH once it is queued on a session event loop,
 * and keeps the messages sent to a subscriber but not yet acknowledged in memory only: stopping it at once lost
 * those (its persistent store holds only what waits for an offline subscriber). So {@link #close()} first stops
 * acknowledging new publications (the publishers keep them and send them again after the restart), then waits,
 * for at most {@link #DRAIN_MILLIS}, until the connected subscribers have acknowledged everything in memory.
 * Its queue store is mended once Moquette started and once it stopped ({@link SegmentedQueueStore}).
 */
final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    static final long DRAIN_MILLIS = 5000;

    private final Server server = new Server();
    private volatile boolean accepting = true;
    private final CountDownLatch mended = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    EmbeddedBroker(BrokerSettings settings, Path dataDir) throws IOException {
        this(settings, dataDir, error -> { });
    }

    /**
     * @param onLoopDeath told, on the dying thread, when one of Moquette's session event loops stopped on an error:
     *                    the clients whose ids map to it can no longer connect until the broker is restarted
     */
    EmbeddedBroker(BrokerSettings settings, Path dataDir, Consumer<Throwable> onLoopDeath) throws IOException {
        this(settings, dataDir, onLoopDeath, new Properties());
    }

    /** @param overrides Moquette properties replacing those made from the settings (tests: smaller queue files) */
    EmbeddedBroker(BrokerSettings settings, Path dataDir, Consumer<Throwable> onLoopDeath, Properties overrides)
            throws IOException {
        Files.createDirectories(dataDir);
        if (settings.persistence() && SegmentedQueueStore.diedLastTime(dataDir)) {
            LOG.warn("Embedded MQTT broker did not stop cleanly last time (power cut, kill, crash): what waited in"
                    + " {} for persistent subscribers that were away, or in flight to them, was lost", dataDir);
        }
        Properties moquette = settings.moquette(dataDir);
        moquette.putAll(overrides);
        IAuthenticator authenticator = (clientId, username, password) -> {
            awaitMended();
            return settings.allowAnonymous() || (username != null && password != null
                    && !settings.username().isEmpty() && username.equals(settings.username())
                    && MessageDigest.isEqual(password, settings.password()));
        };
        IAuthorizatorPolicy permitAll = new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                // while draining, a QoS 1 publication is neither routed nor acknowledged: its publisher keeps it
                awaitMended();
                return accepting;
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                return true;
            }
        };
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(EmbeddedBroker.class.getClassLoader());
        try {
            server.startServer(new MemoryConfig(moquette), List.of(loopWatch(onLoopDeath)), null,
                    authenticator, permitAll);
        } catch (IOException | RuntimeException | Error e) {
            // what it opened before failing (its store's file, locked) would keep the next start from working
            try {
                server.stopServer();
            } catch (RuntimeException | Error partly) {
                e.addSuppressed(partly);
            }
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        try {
            SegmentedQueueStore.keepUsedSegmentsOutOfTheFreeOnes(server);
            SegmentedQueueStore.forgetIndexOnceLoaded(server);
            SegmentedQueueStore.bringBackSessionsWithoutQueue(server);
            routeResentPublicationsLikeNewOnes();
        } finally {
            mended.countDown();
        }
    }

    /**
     * Moquette accepts connections before {@code startServer} returns; a client that logs in or publishes in those
     * first milliseconds waits until the mends above are in place (a publication could otherwise be stored in a
     * segment still in use). (An anonymous client, when allowed, is not asked to log in: only its publications wait.)
     */
    private void awaitMended() {
        try {
            mended.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Moquette 0.17 routes a QoS 1 or 2 PUBLISH that its publisher sent again (DUP flag set) only to the subscribers
     * an earlier routing of it failed for; with none recorded (the usual case: the broker never acknowledged the
     * first copy, or never saw it) it calls {@code retain(0)} on the payload, which throws and kills that session
     * event loop for good, so every client whose id maps to it can no longer connect (moquette issues 750 and 961;
     * 0.17 is the last release). A persistent-session publisher on a flaky link does that, and so do those this
     * broker leaves unacknowledged while it drains before a stop. Here a resent publication with no failed routing
     * recorded goes to every subscriber, as a new one: QoS 1 allows the duplicate, and nothing is lost.
     */
    private void routeResentPublicationsLikeNewOnes() {
        try {
            Object postOffice = field(server, "dispatcher");
            Object failed = field(postOffice, "failedPublishes");
            java.lang.reflect.Field noFilter = postOffice.getClass().getDeclaredField("NO_FILTER");
            noFilter.setAccessible(true);
            @SuppressWarnings("unchecked")
            Set<String> everyone = (Set<String>) noFilter.get(null);
            java.lang.reflect.Field packets = failed.getClass().getDeclaredField("packetsMap");
            packets.setAccessible(true);
            packets.set(failed, new ConcurrentHashMap<Object, Set<String>>() {
                @Override
                public Set<String> getOrDefault(Object key, Set<String> none) {
                    // the only lookup of the map (FailedPublishCollection.listFailed)
                    Set<String> failedFor = get(key);
                    return failedFor != null ? failedFor : everyone;
                }
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: not the Moquette 0.17 this was written for ({}): a publication resent with"
                    + " the DUP flag may stop part of the broker; restart the broker bundle if clients can no longer"
                    + " connect", e.toString());
        }
    }

    /** Moquette's only report of a session event loop that died: its interceptor, for that message type alone. */
    private static InterceptHandler loopWatch(Consumer<Throwable> onLoopDeath) {
        return new AbstractInterceptHandler() {
            @Override
            public String getID() {
                return "betaas-session-loop-watch";
            }

            @Override
            public Class<?>[] getInterceptedMessageTypes() {
                return new Class<?>[]{InterceptExceptionMessage.class}; // not every publication
            }

            @Override
            public void onSessionLoopError(Throwable error) {
                onLoopDeath.accept(error);
            }
        };
    }

    int port() {
        return server.getPort();
    }

    int connectedClients() {
        return server.listConnectedClients().size();
    }

    /** See {@link SegmentedQueueStore#offlineBacklog}; empty, with a debug line, on another Moquette version. */
    Map<String, Long> offlineBacklog() {
        try {
            return SegmentedQueueStore.offlineBacklog(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Embedded MQTT broker: offline sessions not readable", e);
            return Map.of();
        }
    }

    /**
     * Messages Moquette still holds in memory only: commands waiting on its session event loops, and messages sent
     * to (or queued for) a connected subscriber and not acknowledged yet; {@code -1} when Moquette's internals
     * are not the ones of the version this was written for (0.17).
     */
    int inMemoryOnly() {
        try {
            Object sessions = field(server, "sessions");
            int n = 0;
            for (Object q : (Object[]) field(field(sessions, "loopsGroup"), "sessionQueues")) {
                n += ((Collection<?>) q).size();
            }
            for (Object session : ((Map<?, ?>) field(sessions, "pool")).values()) {
                if ((Boolean) method(session, "connected")) {
                    n += ((Map<?, ?>) field(session, "inflightWindow")).size();
                    n += (Boolean) method(field(session, "sessionQueue"), "isEmpty") ? 0 : 1;
                }
            }
            return n;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot read Moquette's in-memory state", e);
            return -1;
        }
    }

    /** A private field, read by reflection: Moquette's internals here, and tests reach into them too. */

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return; // once: Moquette's second stop throws on its closed store
        }
        accepting = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        int left = inMemoryOnly();
        int quiet = 0; // an event loop may be between taking a command and putting it in flight: read 0 thrice
        while (left >= 0 && quiet < 3 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = inMemoryOnly();
            quiet = left == 0 ? quiet + 1 : 0;
        }
        if (left > 0) {
            LOG.warn("Embedded MQTT broker stopping with {} message(s) not yet acknowledged by their subscribers"
                    + " after {} ms: those are lost", left, DRAIN_MILLIS);
        } else if (left < 0) {
            LOG.warn("Embedded MQTT broker stopping without draining (unexpected Moquette version): messages not"
                    + " yet acknowledged by their subscribers are lost");
        }
        SegmentedQueueStore.keepInFlightOfDisconnectedSessions(server);
        server.stopServer();
        SegmentedQueueStore.writeIndexOfEveryQueue(server);
    }
}
