package org.betaas.api.instance;

import java.util.List;

/**
 * This gateway, as configured in {@code etc/org.betaas.gateway.cfg}.
 *
 * <p>A wrong configuration never takes the service away: it is reported by {@link #configurationProblems()} so
 * that commands and the console can tell the operator what to fix.
 */
public interface LocalGateway {

    /** This gateway's identity; ids fall back to safe defaults while the configuration has problems. */
    GatewayIdentity identity();

    /** One readable message per wrong configuration value (naming the key and what to do); empty when valid. */
    List<String> configurationProblems();
}
