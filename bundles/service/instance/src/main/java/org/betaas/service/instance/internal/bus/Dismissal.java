package org.betaas.service.instance.internal.bus;

/**
 * An administrator's or the trust threshold's decision to dismiss a gateway (payload of a retained
 * {@code dismiss} message on {@code betaas/<instance>/dismissed/<id>}).
 *
 * @param gatewayId the dismissed gateway
 * @param reason    readable: {@code administrator} or the trust that fell below the threshold
 */
public record Dismissal(String gatewayId, String reason) {
}
