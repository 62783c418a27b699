package org.betaas.service.instance.internal.bus;

import org.betaas.api.instance.GatewayStatus;

/**
 * A peer's answer (payload of a {@code reply} message).
 *
 * @param correlationId the request's
 * @param ok            whether the operation succeeded
 * @param error         why not, readable, when not ok
 * @param vm            the VM deployed or operated on, when there is one
 * @param status        the peer's status ({@code status} requests)
 */
public record PeerReply(String correlationId, boolean ok, String error, GatewayStatus.VmSummary vm,
                        GatewayStatus status) {
}
