package org.betaas.taas.vm.openstack.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.betaas.api.vm.VmState;

/**
 * What this driver reads of a Nova server (GET /servers/{id}, /servers/detail).
 *
 * @param status Nova's status: BUILD, ACTIVE, SHUTOFF, ERROR, ...
 * @param fault  the fault message Nova reports for a server in ERROR, empty when none
 */
record NovaServer(String id, String name, String status, Map<String, String> metadata, String flavorId,
                  Instant created, Instant updated, String fault) {

    /** Metadata keys BETaaS puts on the servers it creates. */
    static final String TEMPLATE = "betaas.template";
    static final String VM = "betaas.vm";
    static final String STOPPED_AT = "betaas.stopped-at";

    NovaServer {
        metadata = Map.copyOf(metadata);
    }

    static NovaServer of(JsonNode s) {
        Map<String, String> meta = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("metadata").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            meta.put(e.getKey(), e.getValue().asText());
        }
        return new NovaServer(s.path("id").asText(), s.path("name").asText(), s.path("status").asText(), meta,
                s.path("flavor").path("id").asText(), time(s.path("created").asText()),
                time(s.path("updated").asText()), s.path("fault").path("message").asText(""));
    }

    static Instant time(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The BETaaS VM id this server runs, empty for servers BETaaS did not create. */
    Optional<String> vmId() {
        return Optional.ofNullable(metadata.get(VM)).filter(v -> !v.isEmpty());
    }

    String template() {
        return metadata.getOrDefault(TEMPLATE, "");
    }

    boolean shutOff() {
        return "SHUTOFF".equals(status);
    }

    /** When BETaaS stopped it, else when Nova last changed it. */
    Optional<Instant> stoppedAt() {
        Instant at = time(metadata.getOrDefault(STOPPED_AT, ""));
        return Optional.ofNullable(at != null ? at : updated);
    }

    VmState state() {
        return switch (status) {
            case "ACTIVE" -> VmState.RUNNING;
            case "SHUTOFF", "SUSPENDED", "PAUSED", "SHELVED", "SHELVED_OFFLOADED" -> VmState.STOPPED;
            case "ERROR" -> VmState.FAILED;
            case "DELETED", "SOFT_DELETED" -> VmState.DESTROYED;
            default -> VmState.DEFINED;
        };
    }
}
