package org.betaas.api.things;

import java.util.List;

/**
 * Receives the measurements of the things a {@link Subscription} selects. Called on the subscription's own
 * delivery thread, never on an adaptor's: a slow listener only fills (and then overflows) its own queue.
 */
@FunctionalInterface
public interface MeasurementListener {

    void onMeasurements(Thing thing, List<Measurement> measurements);
}
