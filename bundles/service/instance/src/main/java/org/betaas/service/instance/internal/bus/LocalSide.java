package org.betaas.service.instance.internal.bus;

import java.util.Map;

import org.betaas.api.instance.GatewayStatus;

/** What the bus needs from this gateway: its status and its VM Manager. */
public interface LocalSide {

    /**
     * This gateway's status now.
     *
     * @param session       the membership session
     * @param peerTrust     this gateway's trust in each peer
     * @param networkErrors broker connection losses so far
     */
    GatewayStatus status(String session, Map<String, Double> peerTrust, int networkErrors);

    /** Serves a peer's request on this gateway's VM Manager; never throws (errors go into the reply). */
    PeerReply serve(PeerRequest request, String fromGateway);
}
