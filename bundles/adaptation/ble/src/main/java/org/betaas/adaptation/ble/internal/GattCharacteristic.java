package org.betaas.adaptation.ble.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The GATT characteristics this adaptor can decode, per the Bluetooth SIG GATT Specification Supplement
 * (little-endian fields, "value not known" sentinels), with the SenML unit of the decoded value.
 *
 * @param uuid        the 128-bit UUID, lower case
 * @param shortUuid   the 16-bit assigned number, e.g. {@code 2A6E}
 * @param defaultType the thing type it measures unless configured otherwise
 * @param unit        SenML unit (RFC 8428 / RFC 8798)
 */
record GattCharacteristic(String uuid, String shortUuid, String defaultType, String unit,
                          Function<byte[], OptionalDouble> decoder) {

    private static final String BASE_SUFFIX = "-0000-1000-8000-00805f9b34fb";

    /** Temperature (0x2A6E): sint16, 0.01 degrees Celsius; 0x8000 = not known. */
    static final GattCharacteristic TEMPERATURE = of("2A6E", "temperature", "Cel", v -> {
        if (v.length < 2) {
            return OptionalDouble.empty();
        }
        short raw = (short) ((v[0] & 0xff) | (v[1] << 8));
        return raw == Short.MIN_VALUE ? OptionalDouble.empty() : OptionalDouble.of(raw / 100.0);
    });

    /** Humidity (0x2A6F): uint16, 0.01 percent; 0xFFFF = not known. */
    static final GattCharacteristic HUMIDITY = of("2A6F", "humidity", "%RH", v -> {
        if (v.length < 2) {
            return OptionalDouble.empty();
        }
        int raw = (v[0] & 0xff) | ((v[1] & 0xff) << 8);
        return raw == 0xffff ? OptionalDouble.empty() : OptionalDouble.of(raw / 100.0);
    });

    /** Battery Level (0x2A19): uint8, percent 0..100. */
    static final GattCharacteristic BATTERY = of("2A19", "battery", "%EL", v -> {
        if (v.length < 1 || (v[0] & 0xff) > 100) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(v[0] & 0xff);
    });

    /** Pressure (0x2A6D): uint32, 0.1 pascal. */
    static final GattCharacteristic PRESSURE = of("2A6D", "pressure", "Pa", v -> {
        if (v.length < 4) {
            return OptionalDouble.empty();
        }
        long raw = (v[0] & 0xffL) | ((v[1] & 0xffL) << 8) | ((v[2] & 0xffL) << 16) | ((v[3] & 0xffL) << 24);
        return OptionalDouble.of(raw / 10.0);
    });

    static final Map<String, GattCharacteristic> KNOWN = Arrays.stream(
                    new GattCharacteristic[] {TEMPERATURE, HUMIDITY, BATTERY, PRESSURE})
            .collect(Collectors.toUnmodifiableMap(GattCharacteristic::uuid, c -> c));

    private static GattCharacteristic of(String shortUuid, String type, String unit,
                                         Function<byte[], OptionalDouble> decoder) {
        return new GattCharacteristic(fullUuid(shortUuid).orElseThrow(), shortUuid, type, unit, decoder);
    }

    /** The value, or empty when too short or the device says "not known". */
    OptionalDouble decode(byte[] value) {
        return decoder.apply(value == null ? new byte[0] : value);
    }

    /**
     * The 128-bit lower-case form of a UUID written as {@code 2A6E}, {@code 0x2a6e}, {@code 00002a6e} or in full;
     * empty when it is none of these.
     */
    static Optional<String> fullUuid(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        if (s.matches("[0-9a-f]{4}")) {
            return Optional.of("0000" + s + BASE_SUFFIX);
        }
        if (s.matches("[0-9a-f]{8}")) {
            return Optional.of(s + BASE_SUFFIX);
        }
        if (s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    static Optional<GattCharacteristic> known(String uuid) {
        return fullUuid(uuid).map(KNOWN::get);
    }

    static String knownList() {
        return KNOWN.values().stream().map(c -> c.shortUuid() + " (" + c.defaultType() + ")").sorted()
                .collect(Collectors.joining(", "));
    }
}
