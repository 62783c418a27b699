package org.betaas.service.manager.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.ThingNeed;
import org.betaas.api.things.Thing;

/**
 * The Things Service: which things serve which app. Apps are served in installation order; a thing serves every
 * app whose need it matches (type, unit, location, kind, freshness, rate) unless an app asked for it
 * exclusively: an exclusive need takes only things no earlier app holds, and a thing taken exclusively serves no
 * later app. Lost things (metadata {@code lost}) serve nobody until they come back.
 */
public final class ThingsAllocation {

    /** Metadata key the thing registry sets on a thing that is out of reach. */
    static final String LOST = "lost";

    /** What one app gets: the granted thing ids, sorted, and one line per need that nothing serves. */
    public record Grant(Set<String> things, List<String> problems) {
        public Grant {
            things = Set.copyOf(things);
            problems = List.copyOf(problems);
        }

        public List<String> sortedThings() {
            return List.copyOf(new TreeSet<>(things));
        }
    }

    private ThingsAllocation() {
    }

    /**
     * @param apps         the installed apps, in installation order
     * @param things       the things the registry knows
     * @param now          the time freshness is measured against
     * @param observedRate a thing's measured rate in measurements a minute; empty while not known (then a minimum
     *                     rate does not exclude it)
     */
    public static Map<String, Grant> allocate(List<AppManifest> apps, List<Thing> things, Instant now,
                                              Function<String, OptionalDouble> observedRate) {
        Map<String, String> exclusiveOwner = new HashMap<>();
        Map<String, Set<String>> holders = new HashMap<>();
        Map<String, Grant> result = new LinkedHashMap<>();
        for (AppManifest app : apps) {
            Set<String> granted = new HashSet<>();
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < app.things().size(); i++) {
                ThingNeed need = app.things().get(i);
                int matching = 0;
                int stale = 0;
                int slow = 0;
                int taken = 0;
                int served = 0;
                for (Thing t : things) {
                    if (!matches(need, t)) {
                        continue;
                    }
                    matching++;
                    if (need.maxAge().isPresent() && t.lastSeen().plus(need.maxAge().get()).isBefore(now)) {
                        stale++;
                        continue;
                    }
                    if (need.minRate().isPresent()) {
                        OptionalDouble rate = observedRate.apply(t.id());
                        if (rate.isPresent() && rate.getAsDouble() < need.minRate().getAsDouble()) {
                            slow++;
                            continue;
                        }
                    }
                    String owner = exclusiveOwner.get(t.id());
                    if (owner != null && !owner.equals(app.name())) {
                        taken++;
                        continue;
                    }
                    Set<String> others = holders.getOrDefault(t.id(), Set.of());
                    if (need.exclusive() && others.stream().anyMatch(o -> !o.equals(app.name()))) {
                        taken++;
                        continue;
                    }
                    granted.add(t.id());
                    served++;
                    if (need.exclusive()) {
                        exclusiveOwner.put(t.id(), app.name());
                    }
                }
                if (served == 0) {
                    problems.add(describe(i, need) + ": " + (matching == 0 ? "no matching thing yet"
                            : matching + " matching thing(s), none usable (" + stale + " too old, " + slow
                            + " too slow, " + taken + " held by another app)"));
                }
            }
            for (String id : granted) {
                holders.computeIfAbsent(id, k -> new HashSet<>()).add(app.name());
            }
            result.put(app.name(), new Grant(granted, problems));
        }
        return result;
    }

    static boolean matches(ThingNeed need, Thing t) {
        return t.kind() == need.kind()
                && need.type().equalsIgnoreCase(t.type())
                && need.unit().map(u -> u.equals(t.unit())).orElse(true)
                && need.location().map(l -> l.equalsIgnoreCase(t.location())).orElse(true)
                && !t.metadata().containsKey(LOST);
    }

    static String describe(int index, ThingNeed need) {
        StringBuilder s = new StringBuilder("things[").append(index).append("] (")
                .append(need.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(need.type());
        need.unit().ifPresent(u -> s.append(" in ").append(u));
        need.location().ifPresent(l -> s.append(" at ").append(l));
        return s.append(')').toString();
    }
}
