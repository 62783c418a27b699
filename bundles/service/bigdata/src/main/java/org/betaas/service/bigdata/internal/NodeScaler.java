package org.betaas.service.bigdata.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.bigdata.NodeRole;

/**
 * Decides when to ask for a Big Data node and when to give one back, from the data volume (storage nodes) and the
 * query load (compute nodes).
 *
 * <p>With {@code n} nodes of a role held and the load at {@code r} times its threshold, one more node is asked for
 * once {@code r >= n + 1} (up to the role's maximum), and one is released once {@code r < n * releaseFraction}: the
 * gap between the two is the hysteresis that keeps a load hovering around a threshold from deploying and destroying
 * VMs in turn. After each change of a role, nothing more happens to it for {@code cooldown}; after a failed request,
 * for at least {@code retryAfter}.
 */
final class NodeScaler {

    /**
     * The thresholds; a threshold of 0 is off.
     *
     * @param storageRowsHigh  rows from which a storage node is asked for
     * @param storageBytesHigh bytes from which a storage node is asked for
     * @param queriesHigh      queries per minute from which a compute node is asked for
     * @param releaseFraction  in (0, 1]: a node is released below this fraction of the load that asked for it
     * @param maxStorageNodes  storage nodes held at most
     * @param maxComputeNodes  compute nodes held at most
     * @param cooldown         quiet time of a role after each change
     * @param retryAfter       quiet time of a role after a failed request
     */
    record Thresholds(long storageRowsHigh, long storageBytesHigh, double queriesHigh, double releaseFraction,
                      int maxStorageNodes, int maxComputeNodes, Duration cooldown, Duration retryAfter) {

        Thresholds {
            if (storageRowsHigh < 0 || storageBytesHigh < 0 || queriesHigh < 0 || !(releaseFraction > 0)
                    || releaseFraction > 1 || maxStorageNodes < 0 || maxComputeNodes < 0 || cooldown.isNegative()
                    || retryAfter.isNegative()) {
                throw new IllegalArgumentException("thresholds out of range");
            }
        }

        int max(NodeRole role) {
            return role == NodeRole.STORAGE ? maxStorageNodes : maxComputeNodes;
        }
    }

    /** What is measured now. */
    record Load(long rows, long bytes, double queriesPerMinute) {
    }

    /** One step for one role. */
    sealed interface Step {
        NodeRole role();

        String reason();

        record Request(NodeRole role, String reason) implements Step {
        }

        record Release(NodeRole role, String reason) implements Step {
        }
    }

    private final Thresholds thresholds;
    private final Map<NodeRole, Instant> quietUntil = new EnumMap<>(NodeRole.class);

    NodeScaler(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    Thresholds thresholds() {
        return thresholds;
    }

    /** What to do for {@code role} now that {@code held} nodes of it are held; empty: nothing. */
    synchronized Optional<Step> decide(NodeRole role, Load load, int held, Instant now) {
        Instant quiet = quietUntil.get(role);
        if (quiet != null && now.isBefore(quiet)) {
            return Optional.empty();
        }
        Ratio r = ratio(role, load);
        int max = thresholds.max(role);
        if (held > max) {
            return Optional.of(new Step.Release(role, held + " " + name(role) + " nodes held, at most " + max
                    + " configured"));
        }
        if (held < max && r.value() >= held + 1) {
            return Optional.of(new Step.Request(role, r.text() + (held == 0 ? "" : " (" + held + " held)")));
        }
        if (held > 0 && r.value() < held * thresholds.releaseFraction()) {
            return Optional.of(new Step.Release(role, r.text() + ", below " + fraction() + " of "
                    + (held == 1 ? "its threshold" : held + " times its threshold")));
        }
        return Optional.empty();
    }

    /** A step of {@code role} was carried out: the role stays quiet for the cooldown. */
    synchronized void changed(NodeRole role, Instant now) {
        quietUntil.put(role, now.plus(thresholds.cooldown()));
    }

    /** A request of {@code role} failed: the role stays quiet for the cooldown, at least {@code retryAfter}. */
    synchronized void failed(NodeRole role, Instant now) {
        Duration wait = thresholds.cooldown().compareTo(thresholds.retryAfter()) > 0 ? thresholds.cooldown()
                : thresholds.retryAfter();
        quietUntil.put(role, now.plus(wait));
    }

    private record Ratio(double value, String text) {
    }

    private Ratio ratio(NodeRole role, Load load) {
        if (role == NodeRole.COMPUTE) {
            if (thresholds.queriesHigh() == 0) {
                return new Ratio(0, "compute threshold off");
            }
            return new Ratio(load.queriesPerMinute() / thresholds.queriesHigh(), String.format(Locale.ROOT,
                    "%.1f queries/min against a threshold of %.1f", load.queriesPerMinute(), thresholds.queriesHigh()));
        }
        double rows = thresholds.storageRowsHigh() == 0 ? 0 : (double) load.rows() / thresholds.storageRowsHigh();
        double bytes = thresholds.storageBytesHigh() == 0 ? 0
                : (double) load.bytes() / thresholds.storageBytesHigh();
        if (thresholds.storageRowsHigh() == 0 && thresholds.storageBytesHigh() == 0) {
            return new Ratio(0, "storage thresholds off");
        }
        String text = (thresholds.storageRowsHigh() == 0 ? "" : load.rows() + " rows against a threshold of "
                + thresholds.storageRowsHigh())
                + (thresholds.storageRowsHigh() > 0 && thresholds.storageBytesHigh() > 0 ? ", " : "")
                + (thresholds.storageBytesHigh() == 0 ? "" : load.bytes() + " bytes against a threshold of "
                + thresholds.storageBytesHigh());
        return new Ratio(Math.max(rows, bytes), text);
    }

    private String fraction() {
        return String.format(Locale.ROOT, "%.0f%%", thresholds.releaseFraction() * 100);
    }

    private static String name(NodeRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
