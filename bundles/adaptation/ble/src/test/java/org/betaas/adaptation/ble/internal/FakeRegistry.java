package org.betaas.adaptation.ble.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingRegistry;

/** Records what an adaptor reports. */
final class FakeRegistry implements ThingRegistry {

    final Map<String, Thing> things = new ConcurrentHashMap<>();
    final List<Measurement> measurements = new CopyOnWriteArrayList<>();
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
        return measurements.stream().filter(m -> m.thingId().equals(thingId)).toList();
    }

    @Override
    public void report(Thing thing, List<Measurement> values) {
        things.put(thing.id(), thing);
        lost.remove(thing.id());
        measurements.addAll(values);
    }

    @Override
    public void lost(String thingId, String reason) {
        lost.put(thingId, reason);
    }

    Optional<Measurement> last(String thingId, String name) {
        Measurement found = null;
        for (Measurement m : measurements) {
            if (m.thingId().equals(thingId) && m.name().equals(name)) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }
}
