package org.betaas.api.things;

import java.time.Instant;
import java.util.Map;

/**
 * A sensor or actuator known to this gateway.
 *
 * @param id        unique id, e.g. the SenML base name {@code urn:dev:mac:0024befffe804ff1}
 * @param kind      sensor or actuator
 * @param type      what it measures or drives, e.g. {@code temperature}
 * @param unit      SenML unit of its values, e.g. {@code Cel}
 * @param gatewayId the gateway it is attached to
 * @param protocol  the adaptor that brought it in, e.g. {@code mqtt}, {@code ble}
 * @param firstSeen when it was first seen
 * @param lastSeen  when it was last heard from
 * @param location  free-text location, empty when unknown
 * @param metadata  further attributes
 */
public record Thing(String id, ThingKind kind, String type, String unit, String gatewayId, String protocol,
                    Instant firstSeen, Instant lastSeen, String location, Map<String, String> metadata) {

    public Thing {
        metadata = Map.copyOf(metadata);
    }
}
