package org.betaas.taas.resources.placement;

import java.util.List;

import org.betaas.api.placement.PlacementDecision;

/** The rules of the BETaaS allocation algorithm (seed paper, sections II-B, III, IV), as named in the reasons. */
public enum Rule {
    /** Gateways trusted less than the threshold are not used. */
    LOW_TRUST("low-trust"),
    /** A gateway that cannot run VMs, or not this template's architecture, is not used. */
    NOT_CAPABLE("not-capable"),
    /** A gateway whose predicted availability (capacity − reserved − point forecast) is too small. */
    NO_ROOM("no-room"),
    /**
     * Among the gateways that can host the VM, one where it fits under the forecast's upper bound comes before one
     * where it fits only under the point forecast.
     */
    UPPER_BOUND_FIRST("upper-bound-first"),
    /** A gateway of the instance that can host the VM is chosen before the remote cloud. */
    LOCAL_FIRST("local-first"),
    /** Remote only when no gateway of the instance can host it and the remote limits allow. */
    REMOTE_WHEN_FULL("remote-when-full"),
    /** A Big Data computation node goes remote when no powerful gateway can take it. */
    BIGDATA_COMPUTE_REMOTE("bigdata-compute-remote"),
    /** Under shortage, computation/heavy VMs give way to storage/light ones (they go remote). */
    PRIORITY_UNDER_SHORTAGE("priority-under-shortage"),
    /**
     * Keep room for the most expensive template: a gateway that cannot host it anyway, then one that still can
     * afterwards, then the tightest fit (whole gateways stay free for it).
     */
    KEEP_ROOM_FOR_LARGEST("keep-room-for-largest"),
    /** Nothing else separates the gateways: the most powerful one. */
    MOST_POWERFUL("most-powerful"),
    /** The remote cloud is unreachable (or not configured, or at its limit) and no gateway can host the VM. */
    REMOTE_UNAVAILABLE("remote-unavailable");

    /** Prefix of the last reason of every decision. */
    public static final String DECIDED_BY = "Decided by rule ";

    private final String label;

    Rule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The rule that decided, read back from the decision's last reason. */
    public static Rule of(PlacementDecision decision) {
        List<String> reasons = decision.reasons();
        String last = reasons.isEmpty() ? "" : reasons.get(reasons.size() - 1);
        for (Rule r : values()) {
            if (last.startsWith(DECIDED_BY + r.label + ":")) {
                return r;
            }
        }
        throw new IllegalArgumentException("no deciding rule in: " + last);
    }
}
