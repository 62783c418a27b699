package org.betaas.service.instance.internal.bus;

/**
 * A gateway's last will (payload of an {@code offline} message on its status topic), registered with the broker
 * when it connects and published by the broker when the connection dies.
 *
 * @param gatewayId the gateway
 * @param session   the session the will belongs to: a will of an earlier session is ignored
 */
public record OfflineNotice(String gatewayId, String session) {
}
