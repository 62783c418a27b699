package org.betaas.benchmarks.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The value column of a {@code timestamp,value} CSV (the NAB traces' format). A first line whose value is not a
 * number is a header; an empty value is a missing sample (NaN).
 */
final class ValueSeries {

    private ValueSeries() {
    }

    /** Reads a file; the message of the exception names the file and the offending line. */
    static double[] read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        }
    }

    /** Reads a class-path resource next to this class (the bundled benchmark trace). */
    static double[] resource(String name) {
        try (InputStream in = ValueSeries.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    static double[] read(Reader source, String name) throws IOException {
        BufferedReader reader = new BufferedReader(source);
        double[] values = new double[1024];
        int count = 0;
        int lineNumber = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException(name + " line " + lineNumber
                        + ": expected 'timestamp,value', got '" + abbreviate(line) + "'");
            }
            String cell = line.substring(comma + 1).trim();
            double value;
            if (cell.isEmpty()) {
                value = Double.NaN;
            } else {
                try {
                    value = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    if (count == 0 && lineNumber == 1) {
                        continue; // header
                    }
                    throw new IllegalArgumentException(name + " line " + lineNumber + ": value '" + abbreviate(cell)
                            + "' is not a number");
                }
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = value;
        }
        return Arrays.copyOf(values, count);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
