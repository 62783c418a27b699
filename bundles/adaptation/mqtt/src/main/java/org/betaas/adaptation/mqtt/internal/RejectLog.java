package org.betaas.adaptation.mqtt.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs rejected messages without flooding: at most one line per reason per interval, saying how many more
 * of that kind were rejected meanwhile.
 */
final class RejectLog {

    private static final Logger LOG = LoggerFactory.getLogger(RejectLog.class);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, long[]> lastLogged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    RejectLog(long intervalNanos, LongSupplier nanoTime) {
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** @return whether a line was written */
    boolean rejected(String topic, String reason, String detail) {
        long now = nanoTime.getAsLong();
        long[] last = lastLogged.computeIfAbsent(reason, r -> new long[]{now - intervalNanos - 1});
        AtomicLong skipped = suppressed.computeIfAbsent(reason, r -> new AtomicLong());
        synchronized (last) {
            if (now - last[0] <= intervalNanos) {
                skipped.incrementAndGet();
                return false;
            }
            last[0] = now;
        }
        long more = skipped.getAndSet(0);
        LOG.warn("Rejected SenML on topic '{}': {} ({}){}", topic, reason, detail,
                more > 0 ? " - and " + more + " more of this kind since the last line" : "");
        return true;
    }
}
