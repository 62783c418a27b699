package org.betaas.api.placement;

import java.util.List;

/**
 * Where the TaaS Resources Manager places a VM, and why: every gateway considered, the forecasts used and the
 * rule that decided are in {@link #reasons()}.
 */
public sealed interface PlacementDecision {

    /** The explanation, one line per fact or rule, in the order they were applied. */
    List<String> reasons();

    /** On a gateway of the instance: this one or a peer. */
    record Local(String gatewayId, List<String> reasons) implements PlacementDecision {
        public Local {
            reasons = List.copyOf(reasons);
        }
    }

    /** On a remote cloud. */
    record Remote(String cloud, List<String> reasons) implements PlacementDecision {
        public Remote {
            reasons = List.copyOf(reasons);
        }
    }

    /** Nowhere: {@code reason} says why (and what would make it possible). */
    record Rejected(String reason, List<String> reasons) implements PlacementDecision {
        public Rejected {
            reasons = List.copyOf(reasons);
        }
    }
}
