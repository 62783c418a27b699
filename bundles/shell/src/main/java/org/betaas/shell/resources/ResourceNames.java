package org.betaas.shell.resources;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.betaas.api.resources.ResourceKind;

/** The resource names an operator types (cpu, memory, storage, battery) and how amounts of each are shown. */
final class ResourceNames {

    private ResourceNames() {
    }

    static String name(ResourceKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static List<String> all() {
        return Arrays.stream(ResourceKind.values()).map(ResourceNames::name).toList();
    }

    static Optional<ResourceKind> parse(String name) {
        return Arrays.stream(ResourceKind.values())
                .filter(k -> name(k).equalsIgnoreCase(name == null ? "" : name.trim()))
                .findFirst();
    }

    /** An amount of the resource in its unit: CPU as a percentage, memory and storage in bytes, battery in %. */
    static String amount(ResourceKind kind, double value) {
        return switch (kind) {
            case CPU -> String.format(Locale.ROOT, "%.1f %%", value * 100);
            case MEMORY, STORAGE -> bytes(value);
            case BATTERY -> String.format(Locale.ROOT, "%.1f %%", value);
        };
    }

    /** A change per sampling interval, signed. */
    static String change(ResourceKind kind, double value) {
        String sign = value < 0 ? "-" : "+";
        return sign + amount(kind, Math.abs(value));
    }

    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    static String bytes(double bytes) {
        double value = Math.abs(bytes);
        int unit = 0;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        String sign = bytes < 0 ? "-" : "";
        return unit == 0 ? String.format(Locale.ROOT, "%s%.0f B", sign, value)
                : String.format(Locale.ROOT, "%s%.1f %s", sign, value, BINARY[unit]);
    }
}
