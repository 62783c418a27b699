package org.betaas.benchmarks.placement;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Real CPU utilisation traces (Numenta Anomaly Benchmark, AWS CloudWatch, 5-minute samples; see LICENSE-NAB.txt
 * beside them) that drive the simulated gateways' background load.
 */
final class CpuTraces {

    static final List<String> NAMES = List.of("ec2_cpu_utilization_24ae8d", "ec2_cpu_utilization_53ea38",
            "ec2_cpu_utilization_5f5533", "ec2_cpu_utilization_77c1ca", "ec2_cpu_utilization_825cc2",
            "rds_cpu_utilization_cc0c53");

    private CpuTraces() {
    }

    /** Every trace as a load fraction 0..1 per 5-minute step. */
    static List<double[]> load() {
        List<double[]> traces = new ArrayList<>();
        for (String name : NAMES) {
            traces.add(read(name + ".csv"));
        }
        return traces;
    }

    private static double[] read(String resource) {
        try (InputStream in = CpuTraces.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("trace " + resource + " missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Double> values = new ArrayList<>();
            String line = reader.readLine(); // header: timestamp,value
            while ((line = reader.readLine()) != null) {
                int comma = line.indexOf(',');
                if (comma > 0) {
                    double percent = Double.parseDouble(line.substring(comma + 1).trim());
                    values.add(Math.min(1, Math.max(0, percent / 100)));
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
