package org.betaas.taas.resources.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** R's results on 288-point windows of the NAB traces (test resources holt-reference.csv and traces/). */
final class HoltReference {

    /** One row of holt-reference.csv. */
    record Row(String series, int start, int n, Map<String, Double> values) {
        double get(String column) {
            Double v = values.get(column);
            if (v == null) {
                throw new IllegalArgumentException("no column " + column);
            }
            return v;
        }

        double[] window() {
            double[] trace = trace(series);
            return Arrays.copyOfRange(trace, start, start + n);
        }

        @Override
        public String toString() {
            return series + "[" + start + "+" + n + "]";
        }
    }

    private static final Map<String, double[]> TRACES = new HashMap<>();

    private HoltReference() {
    }

    static List<Row> rows() {
        List<String> lines = lines("/holt-reference.csv");
        String[] header = lines.get(0).split(",");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            Map<String, Double> values = new HashMap<>();
            for (int i = 3; i < header.length; i++) {
                values.put(header[i].trim(), Double.parseDouble(cells[i].trim()));
            }
            rows.add(new Row(cells[0].trim(), Integer.parseInt(cells[1].trim()), Integer.parseInt(cells[2].trim()),
                    values));
        }
        return rows;
    }

    /** The value column of a trace (timestamp,value with a header line). */
    static synchronized double[] trace(String name) {
        return TRACES.computeIfAbsent(name, n -> lines("/traces/" + n).stream().skip(1)
                .filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1).trim()))
                .toArray());
    }

    private static List<String> lines(String resource) {
        try (InputStream in = HoltReference.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
