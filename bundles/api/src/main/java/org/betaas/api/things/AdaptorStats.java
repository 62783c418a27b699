package org.betaas.api.things;

import java.util.Map;

/**
 * What an adaptor has received and what became of it.
 *
 * @param protocol   the adaptor, e.g. {@code mqtt}
 * @param connection the state of its link, e.g. {@code connected to tcp://127.0.0.1:1883}
 * @param received   messages received
 * @param accepted   messages decoded and reported to the registry
 * @param rejected   messages rejected, by reason (e.g. {@code not-json}, {@code no-value})
 * @param measurements measurements reported to the registry
 */
public record AdaptorStats(String protocol, String connection, long received, long accepted,
                           Map<String, Long> rejected, long measurements) {

    public AdaptorStats {
        rejected = Map.copyOf(rejected);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
