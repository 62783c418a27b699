package org.betaas.adaptation.ble.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which characteristics to read and the thing type each becomes, parsed from entries {@code UUID} or
 * {@code UUID=type} (e.g. {@code 2A6E=temperature}). Entries that cannot be used become problems, never errors.
 */
final class CharacteristicMapping {

    /** A characteristic to read: its decoder and the measurement name (thing type) it is reported under. */
    record Entry(GattCharacteristic characteristic, String type) {
    }

    private final Map<String, Entry> byUuid;
    private final List<String> problems;

    private CharacteristicMapping(Map<String, Entry> byUuid, List<String> problems) {
        this.byUuid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byUuid));
        this.problems = List.copyOf(problems);
    }

    static CharacteristicMapping parse(String[] entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String raw : entries == null ? new String[0] : entries) {
            for (String item : raw.split(",")) {
                String entry = item.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                String uuid = eq < 0 ? entry : entry.substring(0, eq).trim();
                String type = eq < 0 ? "" : entry.substring(eq + 1).trim();
                Optional<String> full = GattCharacteristic.fullUuid(uuid);
                if (full.isEmpty()) {
                    problems.add("characteristics: '" + entry + "' is not a UUID (write e.g. 2A6E=temperature)");
                    continue;
                }
                GattCharacteristic known = GattCharacteristic.KNOWN.get(full.get());
                if (known == null) {
                    problems.add("characteristics: no decoder for " + uuid + "; known: " + GattCharacteristic.knownList());
                    continue;
                }
                if (!type.isEmpty() && !type.matches("[A-Za-z0-9_.:-]+")) {
                    problems.add("characteristics: type '" + type + "' of " + uuid
                            + " may only use letters, digits and _ . : -");
                    continue;
                }
                map.put(full.get(), new Entry(known, type.isEmpty() ? known.defaultType() : type));
            }
        }
        if (map.isEmpty() && problems.isEmpty()) {
            problems.add("characteristics is empty: nothing would be read (e.g. 2A6E=temperature,2A6F=humidity)");
        }
        return new CharacteristicMapping(map, problems);
    }

    Optional<Entry> get(String uuid) {
        return GattCharacteristic.fullUuid(uuid).map(byUuid::get);
    }

    Map<String, Entry> entries() {
        return byUuid;
    }

    List<String> problems() {
        return problems;
    }
}
