package org.betaas.service.instance.internal.bus;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.instance.GatewayStatus;

/** What the bus needs from this gateway: its status and its VM Manager. */
public interface LocalSide {

    /**
     * This gateway's status now.
     *
     * @param session       the membership session
     * @param peerTrust     this gateway's trust in each peer
     * @param replaced      VMs of failed peers this gateway re-placed recently
     * @param networkErrors broker connection losses so far
     */
    GatewayStatus status(String session, Map<String, Double> peerTrust, List<GatewayStatus.Replacement> replaced,
                         int networkErrors);

    /**
     * Deploys a VM of a failed peer again, wherever the TaaS Resources Manager places it now; empty (logged) when
     * it cannot.
     */
    Optional<GatewayStatus.Replacement> replace(GatewayStatus.VmSummary vm, String failedGateway);

    /**
     * A peer re-placed a VM of this gateway while it was away: destroys the stale local copy if it still exists.
     *
     * @return true when settled (destroyed, or no such VM here); false when it cannot be told yet (no VM Manager
     *         yet, or the destroy failed): it is asked again with the next status of the peer
     */
    boolean reconcile(GatewayStatus.Replacement replacement);

    /** Serves a peer's request on this gateway's VM Manager; never throws (errors go into the reply). */
    PeerReply serve(PeerRequest request, String fromGateway);
}
