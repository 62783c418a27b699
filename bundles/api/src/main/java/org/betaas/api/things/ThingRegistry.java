package org.betaas.api.things;

import java.util.List;
import java.util.Optional;

/** The things this gateway knows and their last values. */
public interface ThingRegistry {

    List<Thing> things();

    Optional<Thing> find(String thingId);

    /** The last value of each SenML name of a thing. */
    List<Measurement> lastValues(String thingId);
}
