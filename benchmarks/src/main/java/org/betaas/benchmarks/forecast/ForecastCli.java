package org.betaas.benchmarks.forecast;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.betaas.api.resources.Forecast;
import org.betaas.benchmarks.Main;
import org.betaas.taas.resources.forecast.HoltForecaster;

/**
 * {@code forecast FILE.csv [--window N] [--start K] [--horizon H] [--alpha A --beta B]}: Holt's linear method on
 * the values of rows K..K+N-1 of a {@code timestamp,value} CSV (default: the whole file, 12 steps ahead, α and β
 * fitted as R's HoltWinters does). Prints one JSON object: alpha, beta, sse, level, trend, forecasts, lower,
 * upper (95 % prediction interval), and the window used.
 */
public final class ForecastCli implements Main.SubCommand {

    static final String USAGE = "usage: forecast FILE.csv [--window N] [--start K] [--horizon H] [--alpha A --beta B]";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options;
        double[] values;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("forecast: " + e.getMessage());
            return 2;
        }
        try {
            values = ValueSeries.read(options.file);
        } catch (NoSuchFileException e) {
            err.println("forecast: file " + options.file + " does not exist: give a timestamp,value CSV file");
            return 2;
        } catch (IOException e) {
            err.println("forecast: cannot read " + options.file + ": " + e);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("forecast: " + e.getMessage());
            return 2;
        }
        int start = options.start;
        int window = options.window < 0 ? values.length - start : options.window;
        if (start >= values.length || start + window > values.length || window < 1) {
            err.println("forecast: " + options.file + " has " + values.length + " values: --start " + start
                    + (options.window < 0 ? "" : " --window " + window) + " is outside it");
            return 2;
        }
        double[] series = Arrays.copyOfRange(values, start, start + window);
        HoltForecaster forecaster = Double.isNaN(options.alpha) ? new HoltForecaster()
                : HoltForecaster.fixed(options.alpha, options.beta);
        Forecast f = forecaster.forecast(series, options.horizon);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", options.file.toString());
        json.put("start", start);
        json.put("window", window);
        json.put("horizon", options.horizon);
        json.put("fitted", Double.isNaN(options.alpha));
        json.put("alpha", f.alpha());
        json.put("beta", f.beta());
        json.put("sse", f.sse());
        json.put("level", f.level());
        json.put("trend", f.trend());
        json.put("forecasts", f.forecasts());
        json.put("lower", f.lower());
        json.put("upper", f.upper());
        out.println(JSON.writeValueAsString(json));
        out.flush();
        return 0;
    }

    /** The parsed command line. */
    private record Options(Path file, int window, int start, int horizon, double alpha, double beta) {

        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no input file: " + USAGE);
            }
            Path file = null;
            int window = -1;
            int start = 0;
            int horizon = 12;
            double alpha = Double.NaN;
            double beta = Double.NaN;
            List<String> list = Arrays.asList(args);
            for (int i = 0; i < list.size(); i++) {
                String arg = list.get(i);
                if (!arg.startsWith("--")) {
                    if (file != null) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "' after " + file + ": "
                                + USAGE);
                    }
                    file = Path.of(arg);
                    continue;
                }
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException(arg + " needs a value: " + USAGE);
                }
                String value = list.get(++i);
                switch (arg) {
                    case "--window" -> window = positive(arg, value, 1);
                    case "--start" -> start = positive(arg, value, 0);
                    case "--horizon" -> horizon = positive(arg, value, 0);
                    case "--alpha" -> alpha = unit(arg, value);
                    case "--beta" -> beta = unit(arg, value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + ": " + USAGE);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("no input file: " + USAGE);
            }
            if (Double.isNaN(alpha) != Double.isNaN(beta)) {
                throw new IllegalArgumentException("give both --alpha and --beta, or neither to fit them");
            }
            return new Options(file, window, start, horizon, alpha, beta);
        }

        private static int positive(String option, String value, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " '" + value + "': give an integer >= " + min);
        }

        private static double unit(String option, String value) {
            try {
                double d = Double.parseDouble(value);
                if (d >= 0 && d <= 1) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " '" + value + "': give a number in [0, 1]");
        }
    }
}
