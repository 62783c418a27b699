package org.betaas.api.things;

import java.util.Map;

/**
 * What the gateway's embedded MQTT broker is doing.
 *
 * @param state            e.g. {@code running: 0.0.0.0:1883, persistent}, or why it is not running
 * @param connectedClients clients connected now
 * @param offlineSessions  persistent sessions (cleanSession=false) whose client is away, by client id, with the bytes
 *                         the broker keeps for them until they come back ({@code -1}: not known)
 * @param restarts         restarts after a broker fault (see the log)
 */
public record BrokerStats(String state, int connectedClients, Map<String, Long> offlineSessions, int restarts) {

    public BrokerStats {
        offlineSessions = Map.copyOf(offlineSessions);
    }
}
