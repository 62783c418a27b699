package org.betaas.api.things;

import java.time.Instant;

/**
 * One value of one thing, as decoded from a SenML record (RFC 8428).
 *
 * @param thingId the thing it belongs to
 * @param name    the SenML name of the value within the thing (empty for a single-value thing)
 * @param time    when it was measured
 * @param unit    SenML unit, empty when none
 * @param value   the value: a {@link Double} (v or s), {@link String} (vs), {@link Boolean} (vb) or base64
 *                data {@link String} (vd) as the record carried it
 */
public record Measurement(String thingId, String name, Instant time, String unit, Object value) {
}
