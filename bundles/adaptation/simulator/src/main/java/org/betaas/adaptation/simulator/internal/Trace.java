package org.betaas.adaptation.simulator.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A recorded sensor series (Numenta Anomaly Benchmark, see traces/LICENSE-NAB.txt), replayed in a loop.
 * The NAB temperature traces are in degrees Fahrenheit; they are served in Celsius (SenML unit Cel).
 */
final class Trace {

    /** Short names users put in the configuration, and the resource each replays. */
    static final Map<String, String> KNOWN = Map.of(
            "ambient", "traces/ambient_temperature_system_failure.csv",
            "machine", "traces/machine_temperature_system_failure.csv");

    private final String name;
    private final double[] celsius;

    Trace(String name, double[] celsius) {
        if (celsius.length == 0) {
            throw new IllegalArgumentException("trace " + name + " has no value");
        }
        this.name = name;
        this.celsius = celsius;
    }

    static Trace load(String name) throws IOException {
        String resource = KNOWN.get(name);
        if (resource == null) {
            throw new IllegalArgumentException("unknown trace '" + name + "': use one of " + KNOWN.keySet());
        }
        try (InputStream in = Trace.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " missing from the bundle");
            }
            return parse(name, in);
        }
    }

    /** CSV {@code timestamp,value} with a header line; values in Fahrenheit. */
    static Trace parse(String name, InputStream in) throws IOException {
        double[] values = new double[1024];
        int n = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                continue;
            }
            double f;
            try {
                f = Double.parseDouble(line.substring(comma + 1).trim());
            } catch (NumberFormatException e) {
                continue; // header
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = Math.round((f - 32) * 5 / 9 * 100) / 100.0;
        }
        return new Trace(name, Arrays.copyOf(values, n));
    }

    int size() {
        return celsius.length;
    }

    double at(long step) {
        return celsius[(int) Math.floorMod(step, (long) celsius.length)];
    }

    String name() {
        return name;
    }

    /** The SenML pack one reading makes (time left out: "now" for the receiver). */
    static String senml(String thingId, double celsius) {
        return String.format(Locale.ROOT, "[{\"bn\":\"%s:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":%s}]", thingId,
                Double.toString(celsius));
    }
}
