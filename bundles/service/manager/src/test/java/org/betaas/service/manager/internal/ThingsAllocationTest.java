package org.betaas.service.manager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.ThingNeed;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;
import org.junit.Test;

public class ThingsAllocationTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    static Thing thing(String id, ThingKind kind, String type, String unit, String location, Instant lastSeen,
                       Map<String, String> metadata) {
        return new Thing(id, kind, type, unit, "gw-1", "mqtt", NOW.minusSeconds(3600), lastSeen, location, metadata);
    }

    static Thing sensor(String id, String type, String unit) {
        return thing(id, ThingKind.SENSOR, type, unit, "", NOW, Map.of());
    }

    static ThingNeed need(String type) {
        return new ThingNeed(type, Optional.empty(), Optional.empty(), ThingKind.SENSOR, OptionalDouble.empty(),
                Optional.empty(), false);
    }

    static AppManifest app(String name, ThingNeed... needs) {
        return new AppManifest(name, "owner", List.of(needs), Optional.empty());
    }

    private static Map<String, ThingsAllocation.Grant> allocate(List<AppManifest> apps, List<Thing> things) {
        return ThingsAllocation.allocate(apps, things, NOW, id -> OptionalDouble.empty());
    }

    @Test
    public void matchesByTypeUnitLocationAndKind() {
        List<Thing> things = List.of(sensor("t1", "temperature", "Cel"), sensor("t2", "Temperature", "K"),
                thing("t3", ThingKind.SENSOR, "temperature", "Cel", "Kitchen", NOW, Map.of()),
                sensor("h1", "humidity", "%RH"),
                thing("a1", ThingKind.ACTUATOR, "temperature", "Cel", "", NOW, Map.of()));
        ThingNeed celsius = new ThingNeed("temperature", Optional.of("Cel"), Optional.empty(), ThingKind.SENSOR,
                OptionalDouble.empty(), Optional.empty(), false);
        ThingNeed kitchen = new ThingNeed("temperature", Optional.empty(), Optional.of("kitchen"), ThingKind.SENSOR,
                OptionalDouble.empty(), Optional.empty(), false);
        ThingNeed heater = new ThingNeed("temperature", Optional.empty(), Optional.empty(), ThingKind.ACTUATOR,
                OptionalDouble.empty(), Optional.empty(), false);
        Map<String, ThingsAllocation.Grant> g = allocate(List.of(app("any", need("temperature")),
                app("cel", celsius), app("kitchen", kitchen), app("heater", heater)), things);
        assertEquals(Set.of("t1", "t2", "t3"), g.get("any").things());
        assertEquals(Set.of("t1", "t3"), g.get("cel").things());
        assertEquals(Set.of("t3"), g.get("kitchen").things());
        assertEquals(Set.of("a1"), g.get("heater").things());
        assertTrue(g.get("any").problems().isEmpty());
    }

    @Test
    public void sharedThingsServeEveryAppExclusiveOnesOnlyTheFirst() {
        List<Thing> things = List.of(sensor("t1", "temperature", "Cel"), sensor("t2", "temperature", "Cel"));
        ThingNeed exclusive = new ThingNeed("temperature", Optional.empty(), Optional.empty(), ThingKind.SENSOR,
                OptionalDouble.empty(), Optional.empty(), true);
        Map<String, ThingsAllocation.Grant> g = allocate(List.of(app("a", exclusive), app("b", need("temperature")),
                app("c", exclusive)), things);
        assertEquals(Set.of("t1", "t2"), g.get("a").things());
        assertEquals(Set.of(), g.get("b").things());
        assertTrue(g.get("b").problems().get(0), g.get("b").problems().get(0)
                .contains("2 matching thing(s), none usable (0 too old, 0 too slow, 2 held by another app)"));
        // a shared holder first: an exclusive need later gets nothing
        g = allocate(List.of(app("b", need("temperature")), app("c", exclusive)), things);
        assertEquals(Set.of("t1", "t2"), g.get("b").things());
        assertEquals(Set.of(), g.get("c").things());
    }

    @Test
    public void staleSlowAndLostThingsAreNotGranted() {
        List<Thing> things = List.of(
                thing("old", ThingKind.SENSOR, "temperature", "Cel", "", NOW.minusSeconds(120), Map.of()),
                thing("slow", ThingKind.SENSOR, "temperature", "Cel", "", NOW, Map.of()),
                thing("lost", ThingKind.SENSOR, "temperature", "Cel", "", NOW, Map.of("lost", "gone")),
                thing("fresh", ThingKind.SENSOR, "temperature", "Cel", "", NOW.minusSeconds(5), Map.of()),
                thing("unmeasured", ThingKind.SENSOR, "temperature", "Cel", "", NOW, Map.of()));
        ThingNeed need = new ThingNeed("temperature", Optional.empty(), Optional.empty(), ThingKind.SENSOR,
                OptionalDouble.of(10), Optional.of(Duration.ofSeconds(60)), false);
        Map<String, ThingsAllocation.Grant> g = ThingsAllocation.allocate(List.of(app("a", need)), things, NOW,
                id -> switch (id) {
                    case "slow" -> OptionalDouble.of(2);
                    case "fresh", "old" -> OptionalDouble.of(30);
                    default -> OptionalDouble.empty();
                });
        assertEquals(Set.of("fresh", "unmeasured"), g.get("a").things());
    }

    @Test
    public void aNeedNothingServesIsNamed() {
        Map<String, ThingsAllocation.Grant> g = allocate(List.of(app("a", need("temperature"), need("co2"))),
                List.of(sensor("t1", "temperature", "Cel")));
        assertEquals(List.of("things[1] (sensor co2): no matching thing yet"), g.get("a").problems());
        assertEquals(List.of("t1"), g.get("a").sortedThings());
    }
}
