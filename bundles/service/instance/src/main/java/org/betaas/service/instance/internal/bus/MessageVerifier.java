package org.betaas.service.instance.internal.bus;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks every incoming message: protocol version, instance, MAC (a non-member does not hold the key), sender
 * (a gateway only speaks for itself on its own topics), dismissal, freshness of the timestamp and uniqueness of
 * the nonce within the replay window. Each outcome is counted.
 */
public final class MessageVerifier {

    /** Why a message was dropped. */
    public enum Rejection {
        MALFORMED, UNSUPPORTED_VERSION, WRONG_INSTANCE, BAD_SIGNATURE, WRONG_SENDER, DISMISSED, STALE, REPLAYED
    }

    /** The outcome of a verification. */
    public sealed interface Verdict {
        record Accepted(Envelope envelope) implements Verdict {
        }

        record Rejected(Rejection reason, String detail) implements Verdict {
        }
    }

    private final String instance;
    private final InstanceKey key;
    private final long windowMillis;
    private final int nonceCapacity;
    private final Clock clock;
    private final Set<String> dismissed = ConcurrentHashMap.newKeySet();
    /** nonce → timestamp, in arrival order; entries older than the window are useless (stale anyway). */
    private final LinkedHashMap<String, Long> nonces = new LinkedHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<Rejection, AtomicLong> rejected = new EnumMap<>(Rejection.class);

    public MessageVerifier(String instance, InstanceKey key, Duration replayWindow, int nonceCapacity, Clock clock) {
        this.instance = instance;
        this.key = key;
        this.windowMillis = replayWindow.toMillis();
        this.nonceCapacity = nonceCapacity;
        this.clock = clock;
        for (Rejection r : Rejection.values()) {
            rejected.put(r, new AtomicLong());
        }
    }

    /**
     * Verifies a message.
     *
     * @param expectedSender the gateway the topic belongs to when only it may publish there, else null
     * @param requireFresh   false only for last wills, whose timestamp is their connection's (they are bound to
     *                       a session instead, see docs/instance-protocol.md)
     */
    public Verdict verify(Envelope e, String expectedSender, boolean requireFresh) {
        if (e == null || e.type() == null || e.from() == null || e.nonce() == null || e.payload() == null) {
            return reject(Rejection.MALFORMED, "missing field");
        }
        if (e.v() != Envelope.VERSION) {
            return reject(Rejection.UNSUPPORTED_VERSION, "protocol version " + e.v() + " from " + e.from());
        }
        if (!instance.equals(e.instance())) {
            return reject(Rejection.WRONG_INSTANCE, "instance '" + e.instance() + "' from " + e.from());
        }
        if (!key.matches(e.signingInput(), e.mac())) {
            return reject(Rejection.BAD_SIGNATURE, "bad MAC claiming to be from " + e.from());
        }
        if (expectedSender != null && !expectedSender.equals(e.from())) {
            return reject(Rejection.WRONG_SENDER, e.from() + " on the topic of " + expectedSender);
        }
        if (dismissed.contains(e.from())) {
            return reject(Rejection.DISMISSED, "from dismissed gateway " + e.from());
        }
        if (!requireFresh) {
            return accept(e);
        }
        long now = clock.millis();
        if (Math.abs(now - e.ts()) > windowMillis) {
            return reject(Rejection.STALE, "timestamp " + (now - e.ts()) + " ms old from " + e.from());
        }
        synchronized (nonces) {
            String id = e.from() + '/' + e.nonce();
            if (nonces.containsKey(id)) {
                return reject(Rejection.REPLAYED, "nonce seen before from " + e.from());
            }
            nonces.put(id, e.ts());
            Iterator<Map.Entry<String, Long>> it = nonces.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> oldest = it.next();
                boolean expired = now - oldest.getValue() > windowMillis;
                if (!expired && nonces.size() <= nonceCapacity) {
                    break;
                }
                it.remove();
            }
        }
        return accept(e);
    }

    public void dismiss(String gatewayId) {
        dismissed.add(gatewayId);
    }

    public boolean isDismissed(String gatewayId) {
        return dismissed.contains(gatewayId);
    }

    public Set<String> dismissed() {
        return Set.copyOf(dismissed);
    }

    /** {@code accepted} and one counter per {@link Rejection}, lower case. */
    public Map<String, Long> counters() {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("accepted", accepted.get());
        rejected.forEach((r, n) -> all.put(r.name().toLowerCase(java.util.Locale.ROOT), n.get()));
        return all;
    }

    /** Counts a message that could not even be parsed. */
    public Verdict malformed(String detail) {
        return reject(Rejection.MALFORMED, detail);
    }

    private Verdict accept(Envelope e) {
        accepted.incrementAndGet();
        return new Verdict.Accepted(e);
    }

    private Verdict reject(Rejection reason, String detail) {
        rejected.get(reason).incrementAndGet();
        return new Verdict.Rejected(reason, detail);
    }
}
