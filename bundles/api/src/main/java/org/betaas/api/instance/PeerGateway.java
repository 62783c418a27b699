package org.betaas.api.instance;

/**
 * A gateway of the instance as this gateway sees it live.
 *
 * @param gatewayId        its id
 * @param self             true for this gateway
 * @param online           whether it is considered online (status received within the keep-alive)
 * @param dismissed        whether it was dismissed from the instance (its messages are dropped)
 * @param trust            the trust in it, 0..1 (see docs/instance-protocol.md for the model)
 * @param lastSeen         when its last authenticated message arrived, ms since the epoch (0: never)
 * @param missedHeartbeats heartbeats missed in the trust window
 * @param status           its last status, null before the first one arrived
 */
public record PeerGateway(String gatewayId, boolean self, boolean online, boolean dismissed, double trust,
                          long lastSeen, int missedHeartbeats, GatewayStatus status) {
}
