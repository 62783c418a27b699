package org.betaas.adaptation.mqtt.internal.senml;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A resolved SenML record (RFC 8428 section 4.6): base values applied, time absolute.
 *
 * @param baseName the base name in force for this record (empty when none)
 * @param name     the record's own name, without the base name (empty when none)
 * @param time     absolute time
 * @param unit     unit, empty when none
 * @param value    {@link Double} (v), {@link String} (vs), {@link Boolean} (vb) or {@link DataValue} (vd); empty
 *                 when the record carries only a sum
 * @param sum      the sum (s, plus bs), when present
 */
public record SenmlRecord(String baseName, String name, Instant time, String unit, Optional<Object> value,
                          OptionalDouble sum) {

    /** The resolved name: base name + name. */
    public String fullName() {
        return baseName + name;
    }

    /** A vd value: base64url data, kept as text. */
    public record DataValue(String base64) {
        @Override
        public String toString() {
            return base64;
        }
    }
}
