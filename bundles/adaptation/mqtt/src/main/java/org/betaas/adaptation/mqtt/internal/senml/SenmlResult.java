package org.betaas.adaptation.mqtt.internal.senml;

import java.util.List;

/** What decoding a SenML pack gives: its records, or why it was rejected. */
public sealed interface SenmlResult {

    /** A valid pack. */
    record Decoded(List<SenmlRecord> records) implements SenmlResult {
        public Decoded {
            records = List.copyOf(records);
        }
    }

    /**
     * An invalid pack.
     *
     * @param reason the kind of error, one of the {@link SenmlDecoder} reason constants (counted per kind)
     * @param detail what exactly is wrong, for the log
     */
    record Rejected(String reason, String detail) implements SenmlResult {
    }
}
