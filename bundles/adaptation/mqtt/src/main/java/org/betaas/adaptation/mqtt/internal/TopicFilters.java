package org.betaas.adaptation.mqtt.internal;

import java.util.List;
import java.util.Optional;

/** MQTT topic filters ({@code +}, {@code #}) and where in a topic they find the thing id. */
final class TopicFilters {

    private final List<String[]> filters;

    TopicFilters(List<String> filters) {
        this.filters = filters.stream().map(f -> f.split("/", -1)).toList();
    }

    /**
     * The thing id a topic carries: the level matched by the first {@code +} of the first filter that matches.
     * Empty when no filter matches or the matching filter has no {@code +} (then the SenML base name names it).
     */
    Optional<String> thingId(String topic) {
        String[] levels = topic.split("/", -1);
        for (String[] filter : filters) {
            Optional<String> id = match(filter, levels);
            if (id != null) {
                return id;
            }
        }
        return Optional.empty();
    }

    /** null: no match; empty: match without a {@code +}. */
    private static Optional<String> match(String[] filter, String[] levels) {
        String id = null;
        for (int i = 0; i < filter.length; i++) {
            if (filter[i].equals("#")) {
                return Optional.ofNullable(id);
            }
            if (i >= levels.length) {
                return null;
            }
            if (filter[i].equals("+")) {
                if (id == null) {
                    id = levels[i];
                }
            } else if (!filter[i].equals(levels[i])) {
                return null;
            }
        }
        return filter.length == levels.length ? Optional.ofNullable(id) : null;
    }

    /** Whether a filter is syntactically valid MQTT (wildcards occupy whole levels, '#' last). */
    static boolean valid(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if ((l.contains("+") && !l.equals("+")) || (l.contains("#") && (!l.equals("#") || i != levels.length - 1))) {
                return false;
            }
        }
        return true;
    }
}
