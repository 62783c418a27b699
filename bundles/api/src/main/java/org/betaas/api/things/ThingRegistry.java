package org.betaas.api.things;

import java.util.List;
import java.util.Optional;

/** The things this gateway knows and their last values. */
public interface ThingRegistry {

    List<Thing> things();

    Optional<Thing> find(String thingId);

    /** The last value of each SenML name of a thing. */
    List<Measurement> lastValues(String thingId);

    /**
     * Where adaptors deliver what they discover and measure: registers the thing when new (otherwise refreshes
     * its last-seen time and metadata, keeping its first-seen time) and records its measurements.
     */
    void report(Thing thing, List<Measurement> measurements);

    /** Marks a thing as out of reach (e.g. a BLE device that left); it stays known. */
    void lost(String thingId, String reason);
}
