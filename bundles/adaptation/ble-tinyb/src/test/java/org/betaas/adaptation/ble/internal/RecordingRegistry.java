package org.betaas.adaptation.ble.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingRegistry;

/** A thing registry that keeps what the BLE adaptor reports, for assertions. */
final class RecordingRegistry implements ThingRegistry {

    final Map<String, Thing> things = new ConcurrentHashMap<>();
    final List<Measurement> values = new CopyOnWriteArrayList<>();
    final Map<String, String> lost = new ConcurrentHashMap<>();

    @Override
    public List<Thing> things() {
        return List.copyOf(things.values());
    }

    @Override
    public Optional<Thing> find(String thingId) {
        return Optional.ofNullable(things.get(thingId));
    }

    @Override
    public List<Measurement> lastValues(String thingId) {
        return values.stream().filter(m -> m.thingId().equals(thingId)).toList();
    }

    @Override
    public void report(Thing thing, List<Measurement> measurements) {
        things.put(thing.id(), thing);
        lost.remove(thing.id());
        values.addAll(measurements);
    }

    @Override
    public void lost(String thingId, String reason) {
        lost.put(thingId, reason);
    }

    /** The latest value of a measurement of a thing, NaN when none. */
    double latest(String thingId, String name) {
        double found = Double.NaN;
        for (Measurement m : values) {
            if (m.thingId().equals(thingId) && m.name().equals(name)) {
                found = ((Number) m.value()).doubleValue();
            }
        }
        return found;
    }
}
