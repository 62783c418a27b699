package org.betaas.api.instance;

/**
 * Who a gateway is: its id, the BETaaS instance it belongs to, and the version of the distribution it runs.
 *
 * @param gatewayId  unique within the instance, e.g. {@code gw-kitchen}
 * @param instanceId the BETaaS instance (local cloud of gateways) this gateway belongs to
 * @param version    the BETaaS Gateway version running on it
 */
public record GatewayIdentity(String gatewayId, String instanceId, String version) {
}
