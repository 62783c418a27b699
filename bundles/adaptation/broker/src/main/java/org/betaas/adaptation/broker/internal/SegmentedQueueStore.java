package org.betaas.adaptation.broker.internal;

import static org.betaas.adaptation.broker.internal.MoquetteInternals.field;
import static org.betaas.adaptation.broker.internal.MoquetteInternals.method;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;

import io.moquette.broker.ISessionsRepository;
import io.moquette.broker.Server;
import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.moquette.broker.unsafequeues.QueuePool;
import io.moquette.broker.unsafequeues.VirtualPointer;
import io.moquette.persistence.SegmentQueueRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what waits for offline persistent subscribers across a restart of Moquette 0.17, in its segmented queue
 * store (persistent_queue_type=segmented), mending what loses it: messages in flight to a subscriber that went
 * away, the index the store writes when it stops, the free room it computes when it starts; and keeps a broker
 * that died (no clean stop) from delivering old messages again, or losing its persistent sessions. Each does
 * nothing when persistence is off, and on another Moquette version logs a warning and leaves the broker as it is.
 */
final class SegmentedQueueStore {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedQueueStore.class);
    /** The file in which Moquette keeps the index of its queues. */
    private static final String INDEX = "checkpoint.properties";

    private SegmentedQueueStore() {
    }

    /**
     * The persistent sessions whose client is away, by client id, with the bytes their queue holds (messages and
     * Moquette's framing; {@code -1} when the queue is not on disk), for the operator: a backlog that keeps growing
     * is a subscriber that is not coming back, and disk it takes. Read from outside the session event loops, so a
     * snapshot that may be a message behind.
     */
    static Map<String, Long> offlineBacklog(Server server) throws ReflectiveOperationException {
        Object sessions = field(server, "sessions");
        Object queues = field(sessions, "queueRepository");
        Map<String, Long> queued = new HashMap<>();
        if (queues instanceof SegmentQueueRepository) {
            for (Map.Entry<?, ?> q : ((Map<?, ?>) field(field(queues, "queuePool"), "queues")).entrySet()) {
                long head = ((VirtualPointer) field(q.getValue(), "currentHeadPtr")).logicalOffset();
                long tail = ((VirtualPointer) field(q.getValue(), "currentTailPtr")).logicalOffset();
                queued.put((String) field(q.getKey(), "name"), Math.max(0, head - tail));
            }
        }
        Map<String, Long> backlog = new TreeMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) field(sessions, "pool")).entrySet()) {
            if (!(Boolean) method(e.getValue(), "isClean") && !(Boolean) method(e.getValue(), "connected")) {
                backlog.put((String) e.getKey(), queued.getOrDefault((String) e.getKey(), -1L));
            }
        }
        return backlog;
    }

    /**
     * Moquette keeps what it sent to a persistent subscriber and was not acknowledged yet (up to 10 messages per
     * session) in memory only, and sends it again when the subscriber comes back. The drain before a stop waits for
     * connected subscribers, but one that went away first loses those at the stop: the gateway's own MQTT adaptor,
     * which Karaf stops before the broker, lost 10 acknowledged measurements that way. So, before the stop, they go
     * back into the session's persistent queue, ahead of what waits there (the order they were sent in), on the
     * session's own event loop, which alone touches them. Called once no publication is accepted any more.
     */
    static void keepInFlightOfDisconnectedSessions(Server server) {
        try {
            Object sessions = field(server, "sessions");
            if (!(field(sessions, "queueRepository") instanceof SegmentQueueRepository)) {
                return; // persistence off: no queue outlives the broker
            }
            Object loops = field(sessions, "loopsGroup");
            Method route = loops.getClass().getDeclaredMethod("routeCommand", String.class, String.class,
                    Callable.class);
            route.setAccessible(true);
            List<CompletableFuture<?>> requeued = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) field(sessions, "pool")).entrySet()) {
                Object session = e.getValue();
                if ((Boolean) method(session, "isClean") || (Boolean) method(session, "connected")) {
                    continue;
                }
                Callable<String> requeue = () -> {
                    try {
                        requeueInFlight(session);
                    } catch (ReflectiveOperationException | RuntimeException failure) {
                        // never thrown on the event loop: that would kill it (see SelfHealingBroker)
                        LOG.warn("Embedded MQTT broker: the messages in flight to {} could not be kept for it ({})",
                                e.getKey(), failure.toString());
                    }
                    return null;
                };
                Object routed = route.invoke(loops, e.getKey(), "keep in-flight messages across a stop", requeue);
                CompletableFuture<?> done = (CompletableFuture<?>) method(routed, "completableFuture");
                if (done != null) {
                    requeued.add(done);
                }
            }
            CompletableFuture.allOf(requeued.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
        } catch (ReflectiveOperationException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: messages in flight to persistent subscribers that went away may be lost"
                    + " by this stop ({})", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static void requeueInFlight(Object session) throws ReflectiveOperationException {
        Map<Integer, SessionRegistry.EnqueuedMessage> inFlight =
                (Map<Integer, SessionRegistry.EnqueuedMessage>) field(session, "inflightWindow");
        List<Integer> ids = new ArrayList<>();
        inFlight.forEach((id, m) -> {
            if (m instanceof SessionRegistry.PublishedMessage) { // not the markers of QoS 2 handshakes
                ids.add(id);
            }
        });
        if (ids.isEmpty()) {
            return;
        }
        // packet ids count up to 65535, then start again at 1: a window across that wraps
        boolean wrapped = Collections.max(ids) - Collections.min(ids) > 32767;
        ids.sort(Comparator.comparingInt(id -> wrapped && id < 32768 ? id + 65535 : id));
        SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue =
                (SessionMessageQueue<SessionRegistry.EnqueuedMessage>) field(session, "sessionQueue");
        List<SessionRegistry.EnqueuedMessage> ordered = new ArrayList<>();
        for (int id : ids) {
            ordered.add(inFlight.get(id));
        }
        try {
            while (!queue.isEmpty()) { // its dequeue throws, rather than return null, once at the end
                ordered.add(queue.dequeue());
            }
        } finally {
            // whatever was taken out goes back: out of order if the store failed half-way, but kept
            for (SessionRegistry.EnqueuedMessage m : ordered) {
                m.retain(); // for the store, which releases what it copied
                queue.enqueue(m);
            }
            ids.forEach(inFlight::remove);
            ordered.forEach(SessionRegistry.EnqueuedMessage::release); // the in-flight window's or the dequeue's
        }
    }

    /**
     * Moquette 0.17's segmented queue store, when it starts, takes as free the gaps between the segments its queues
     * use, but QueuePool.recreateSegmentHoles never moves past a gap: every segment after the first gap counts as free
     * too. The next messages stored then overwrite what still waits there for an offline persistent subscriber, which
     * gets garbled or no messages when it comes back. So the segments a loaded queue still uses are taken out of the
     * free ones.
     */
    static void keepUsedSegmentsOutOfTheFreeOnes(Server server) {
        try {
            Object queues = field(field(server, "sessions"), "queueRepository");
            if (!(queues instanceof SegmentQueueRepository)) {
                return; // persistence off: no queue survives a restart
            }
            QueuePool pool = (QueuePool) field(queues, "queuePool");
            Collection<?> free = (Collection<?>) field(pool, "recycledSegments");
            Lock lock = (Lock) field(pool, "segmentsAllocationLock");
            lock.lock();
            try {
                for (Object used : ((Map<?, ?>) field(pool, "queueSegments")).values()) {
                    // one by one: the sorted free set finds each by position; removeAll may use equals, undefined
                    ((Collection<?>) used).forEach(free::remove);
                }
            } finally {
                lock.unlock();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: not the Moquette 0.17 this was written for ({}): messages queued for an"
                    + " offline persistent subscriber may be overwritten by newer ones", e.toString());
        }
    }

    /**
     * Moquette 0.17 reads the index of its queues (checkpoint.properties) when it starts and leaves the file as it
     * is until it stops cleanly. A broker that dies in between (power cut, kill -9, the JVM's crash) left that index
     * behind, stale: the next start handed each persistent subscriber again what had waited for it at the last clean
     * stop (the gateway stored old measurements once more, as new ones), or whatever had since been written in those
     * segments. So the index goes once the queues are loaded: after a crash the queues start empty, and what waited
     * for offline subscribers is lost, as it was before (their positions were only in memory), but nothing comes back
     * that was delivered already. A clean stop writes it again ({@link #writeIndexOfEveryQueue}).
     */
    static void forgetIndexOnceLoaded(Server server) {
        try {
            Object queues = field(field(server, "sessions"), "queueRepository");
            if (queues instanceof SegmentQueueRepository) {
                Files.deleteIfExists(index((QueuePool) field(queues, "queuePool")));
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: could not remove the index of its queues ({}): if the gateway dies before"
                    + " it stops cleanly, offline persistent subscribers may get again what they had", e.toString());
        }
    }

    /**
     * Moquette 0.17 brings back, when it starts, only the persistent sessions whose queue its index lists: a session
     * whose queue is not there (after a crash, the index is gone: {@link #forgetIndexOnceLoaded}) is unknown until its
     * client connects again, and what is published for it meanwhile goes nowhere, though the publisher got its
     * acknowledgement. So every session of Moquette's session store that did not come back is brought back here,
     * with an empty queue, as Moquette does for the others (SessionRegistry.recreateSessionPool).
     */
    static void bringBackSessionsWithoutQueue(Server server) {
        try {
            Object registry = field(server, "sessions");
            Object queues = field(registry, "queueRepository");
            if (!(queues instanceof SegmentQueueRepository)) {
                return; // persistence off: no session outlives the broker
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> pool = (Map<String, Object>) field(registry, "pool");
            Constructor<?> session = Class.forName("io.moquette.broker.Session", false,
                    SessionRegistry.class.getClassLoader()).getDeclaredConstructor(ISessionsRepository.SessionData.class,
                    boolean.class, SessionMessageQueue.class);
            session.setAccessible(true);
            Method track = SessionRegistry.class.getDeclaredMethod("trackForRemovalOnExpiration",
                    ISessionsRepository.SessionData.class);
            track.setAccessible(true);
            ISessionsRepository stored = (ISessionsRepository) field(registry, "sessionsRepository");
            for (ISessionsRepository.SessionData data : stored.list()) {
                // a clean session (MQTT 3.1.1) is stored with no expiry interval, and left there when it ends
                if (data.expiryInterval() > 0 && !pool.containsKey(data.clientId())) {
                    try {
                        SessionMessageQueue<?> queue =
                                ((SegmentQueueRepository) queues).getOrCreateQueue(data.clientId());
                        pool.put(data.clientId(), session.newInstance(data, false, queue));
                        // a session whose client was connected at the crash was stored without its expiry instant:
                        // it expires from now, as Moquette has one do when its client disconnects
                        track.invoke(registry, data.expireAt().isPresent() ? data : data.withExpirationComputed());
                    } catch (InvocationTargetException | RuntimeException e) {
                        Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
                        LOG.warn("Embedded MQTT broker: the persistent session of {} could not be brought back ({}):"
                                + " what is published for it before it connects again is lost", data.clientId(),
                                String.valueOf(cause));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: not the Moquette 0.17 this was written for ({}): after a crash, what is"
                    + " published for a persistent subscriber before it connects again is lost", e.toString());
        }
    }

    /**
     * True when the queue store in {@code dataDir} was used and has no index: the broker did not stop cleanly last
     * time (see {@link #forgetIndexOnceLoaded}). Asked before Moquette starts, as it creates an empty index.
     */
    static boolean diedLastTime(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve("0.page")) && !Files.exists(dataDir.resolve(INDEX));
    }

    private static Path index(QueuePool pool) throws ReflectiveOperationException {
        return ((Path) field(pool, "dataPath")).resolve(INDEX);
    }

    /** The client ids of the sessions that outlive their connection (cleanSession=false). */
    private static Set<String> persistentSessions(Server server) throws ReflectiveOperationException {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) field(field(server, "sessions"), "pool")).entrySet()) {
            if (!(Boolean) method(e.getValue(), "isClean")) {
                ids.add((String) e.getKey());
            }
        }
        return ids;
    }

    /**
     * Moquette 0.17's segmented queue store (persistent_queue_type=segmented) writes, when it stops, the index of its
     * queues (checkpoint.properties) with every queue under the same number: QueuePool.close() never counts them up,
     * so the last one written wins. At the next start, only that persistent session comes back: every other offline
     * persistent subscriber lost what was queued for it, and what is published for it until it reconnects (no session,
     * no delivery), and its queue's segments are handed out again as free. So, once Moquette stopped (its session
     * event loops joined: the queues no longer change), the index is written again from the stopped store, each queue
     * under its own number, in the format QueuePool.loadQueues reads.
     */
    static void writeIndexOfEveryQueue(Server server) {
        try {
            Object queues = field(field(server, "sessions"), "queueRepository");
            if (!(queues instanceof SegmentQueueRepository)) {
                return; // persistence off: nothing outlives the broker
            }
            QueuePool pool = (QueuePool) field(queues, "queuePool");
            int segmentSize = (Integer) field(pool, "segmentSize");
            Object allocator = field(pool, "allocator");
            Method dumpState = allocator.getClass().getDeclaredMethod("dumpState", Properties.class);
            dumpState.setAccessible(true);
            Properties checkpoint = new Properties();
            dumpState.invoke(allocator, checkpoint); // where the next free segment is
            Map<?, ?> byName = (Map<?, ?>) field(pool, "queues");
            Set<String> persistent = persistentSessions(server);
            int n = 0;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) field(pool, "queueSegments")).entrySet()) {
                List<?> segments = (List<?>) e.getValue(); // head first, each "(page, offset)"
                String name = (String) field(e.getKey(), "name");
                if (segments.isEmpty() || !persistent.contains(name)) {
                    // read to its very end: Moquette could not read back a queue without segments; or left behind
                    // by a session that ended (its client came back with a clean session, or it expired): Moquette
                    // keeps those queues, would log each start that they are unused, and never free their room
                    continue;
                }
                Object queue = byName.get(e.getKey());
                String key = "queues." + n++ + ".";
                checkpoint.setProperty(key + "name", name);
                checkpoint.setProperty(key + "segments",
                        segments.stream().map(String::valueOf).collect(Collectors.joining(", ")));
                checkpoint.setProperty(key + "head_offset", Long.toString(
                        ((VirtualPointer) field(queue, "currentHeadPtr")).segmentOffset(segmentSize)));
                checkpoint.setProperty(key + "tail_offset", Long.toString(
                        ((VirtualPointer) field(queue, "currentTailPtr")).segmentOffset(segmentSize)));
            }
            // as bytes: ASCII only (other characters escaped), read back right whatever the platform charset
            try (OutputStream out = Files.newOutputStream(index(pool))) {
                checkpoint.store(out, "DON'T EDIT, AUTOGENERATED");
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: could not index every persistent session's queue ({}): after this restart,"
                    + " offline persistent subscribers but one may miss what was queued for them", e.toString());
        }
    }
}
