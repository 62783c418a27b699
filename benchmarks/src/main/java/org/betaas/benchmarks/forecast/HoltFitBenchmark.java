package org.betaas.benchmarks.forecast;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.betaas.api.resources.Forecast;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time to fit Holt's α and β (grid + BOBYQA + polish) and forecast 12 steps, on a day (288 points) and two weeks
 * (4,032 points) of a real 5-minute CPU trace (NAB ec2_cpu_utilization_5f5533); and, for comparison, the filter
 * alone with those α and β, which the resource history runs on every new sample between two fits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HoltFitBenchmark {

    static final String TRACE = "ec2_cpu_utilization_5f5533.csv";

    @Param({"288", "4032"})
    public int points;

    private double[] series;
    private final HoltForecaster forecaster = new HoltForecaster();
    private HoltForecaster filter;

    @Setup
    public void load() {
        double[] trace = ValueSeries.resource(TRACE);
        series = Arrays.copyOfRange(trace, trace.length - points, trace.length);
        Forecast fitted = forecaster.forecast(series, 12);
        filter = HoltForecaster.fixed(fitted.alpha(), fitted.beta());
    }

    @Benchmark
    public Forecast fitAndForecast() {
        return forecaster.forecast(series, 12);
    }

    @Benchmark
    public Forecast filterAndForecast() {
        return filter.forecast(series, 12);
    }
}
