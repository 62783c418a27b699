package org.betaas.adaptation.mqtt.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.betaas.api.things.AdaptorStats;

/** Received, accepted and rejected (per reason) messages of an adaptor. */
final class AdaptorCounters {

    final LongAdder received = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder measurements = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

    void reject(String reason) {
        rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    AdaptorStats snapshot(String protocol, String connection) {
        Map<String, Long> r = new TreeMap<>();
        rejected.forEach((k, v) -> r.put(k, v.sum()));
        return new AdaptorStats(protocol, connection, received.sum(), accepted.sum(), r, measurements.sum());
    }
}
