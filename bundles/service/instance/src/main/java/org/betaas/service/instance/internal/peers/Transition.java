package org.betaas.service.instance.internal.peers;

/**
 * A peer came online or went offline.
 *
 * @param gatewayId the peer
 * @param online    its new state
 * @param reason    readable: why the view changed
 */
public record Transition(String gatewayId, boolean online, String reason) {
}
