package org.betaas.adaptation.broker.internal;

import static org.betaas.adaptation.broker.internal.MoquetteInternals.field;
import static org.betaas.adaptation.broker.internal.MoquetteInternals.method;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;

import io.moquette.broker.Server;
import io.moquette.broker.unsafequeues.QueuePool;
import io.moquette.broker.unsafequeues.VirtualPointer;
import io.moquette.persistence.SegmentQueueRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mends two bugs of Moquette 0.17's segmented queue store (persistent_queue_type=segmented), where what waits for
 * offline persistent subscribers is kept across a restart: one in the index it writes when it stops, one in the
 * free room it computes when it starts. Both do nothing when persistence is off, and on another Moquette version
 * log a warning and leave the store as it is.
 */
final class SegmentedQueueStore {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedQueueStore.class);

    private SegmentedQueueStore() {
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
            try (OutputStream out = Files.newOutputStream(((Path) field(pool, "dataPath"))
                    .resolve("checkpoint.properties"))) {
                checkpoint.store(out, "DON'T EDIT, AUTOGENERATED");
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.warn("Embedded MQTT broker: could not index every persistent session's queue ({}): after this restart,"
                    + " offline persistent subscribers but one may miss what was queued for them", e.toString());
        }
    }
}
