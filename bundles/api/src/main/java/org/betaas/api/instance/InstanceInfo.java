package org.betaas.api.instance;

import java.util.List;
import java.util.Map;

/**
 * The membership of this gateway in its BETaaS instance.
 *
 * @param instanceId     the instance
 * @param gatewayId      this gateway
 * @param state          whether it is joined
 * @param detail         a readable explanation of the state (what to do when not joined)
 * @param brokerUrl      the instance's broker, without credentials ({@code ""} when not configured)
 * @param brokerUser     the broker user of this gateway ({@code ""} when none)
 * @param keyConfigured  whether an instance key is configured (the key itself is never shown)
 * @param keepAliveMillis a peer silent for longer is considered offline
 * @param trustThreshold peers below this trust are dismissed automatically (0 disables)
 * @param counters       message counters: accepted and every reason of rejection
 * @param problems       configuration problems, one readable line each
 */
public record InstanceInfo(String instanceId, String gatewayId, MembershipState state, String detail,
                           String brokerUrl, String brokerUser, boolean keyConfigured, long keepAliveMillis,
                           double trustThreshold, Map<String, Long> counters, List<String> problems) {

    public InstanceInfo {
        counters = Map.copyOf(counters);
        problems = List.copyOf(problems);
    }

    /** Where this gateway stands in its instance. */
    public enum MembershipState {
        /** No broker or no instance key configured. */
        NOT_CONFIGURED,
        /** Configured, connecting to the broker. */
        CONNECTING,
        /** Connected and publishing its status. */
        JOINED,
        /** Configured but the broker refuses or cannot be reached; retried. */
        UNREACHABLE,
        /** Left by the operator. */
        LEFT,
        /** Dismissed by a member of the instance. */
        DISMISSED
    }
}
