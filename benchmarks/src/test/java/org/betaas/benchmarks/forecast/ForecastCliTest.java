package org.betaas.benchmarks.forecast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.betaas.api.resources.Forecast;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ForecastCliTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return new ForecastCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path trace() throws Exception {
        Path file = folder.newFile("trace.csv").toPath();
        try (var in = ForecastCli.class.getResourceAsStream(HoltFitBenchmark.TRACE)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    public void printsOneJsonObjectWithTheFittedForecastOfTheWindow() throws Exception {
        Path file = trace();
        assertEquals(0, run(file.toString(), "--start", "100", "--window", "288", "--horizon", "6"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals("one line", 1, text.strip().lines().count());
        JsonNode json = new ObjectMapper().readTree(text);
        double[] values = ValueSeries.read(file);
        Forecast expected = new HoltForecaster().forecast(Arrays.copyOfRange(values, 100, 388), 6);
        assertEquals(expected.alpha(), json.get("alpha").asDouble(), 0);
        assertEquals(expected.beta(), json.get("beta").asDouble(), 0);
        assertEquals(expected.sse(), json.get("sse").asDouble(), 0);
        assertEquals(expected.level(), json.get("level").asDouble(), 0);
        assertEquals(expected.trend(), json.get("trend").asDouble(), 0);
        assertEquals(6, json.get("forecasts").size());
        assertEquals(expected.forecasts().get(5), json.get("forecasts").get(5).asDouble(), 0);
        assertEquals(expected.lower().get(0), json.get("lower").get(0).asDouble(), 0);
        assertEquals(expected.upper().get(0), json.get("upper").get(0).asDouble(), 0);
        assertEquals(288, json.get("window").asInt());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void fixedAlphaAndBetaAreUsedAsGiven() throws Exception {
        Path file = folder.newFile("line.csv").toPath();
        Files.write(file, List.of("timestamp,value", "t1,1", "t2,2", "t3,3", "t4,", "t5,5"));
        assertEquals(0, run(file.toString(), "--alpha", "0.5", "--beta", "0.1", "--horizon", "2"));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(0.5, json.get("alpha").asDouble(), 0);
        assertEquals(0.1, json.get("beta").asDouble(), 0);
        assertEquals(5, json.get("window").asInt());
        assertEquals(6.0, json.get("forecasts").get(0).asDouble(), 1e-12);
        assertEquals(7.0, json.get("forecasts").get(1).asDouble(), 1e-12);
    }

    @Test
    public void aMissingFileIsNamedOnStderrWithExitCode2() throws Exception {
        assertError("/nonexistent/cpu.csv", "/nonexistent/cpu.csv");
    }

    @Test
    public void badArgumentsAreNamedOnStderrWithExitCode2() throws Exception {
        String file = trace().toString();
        assertError("--window", new String[] {file, "--window", "zero"});
        assertError("--window", new String[] {file, "--window"});
        assertError("--alpha", new String[] {file, "--alpha", "1.5", "--beta", "0.1"});
        assertError("--beta", new String[] {file, "--alpha", "0.5"});
        assertError("--frobnicate", new String[] {file, "--frobnicate", "1"});
        assertError("no input file", new String[] {});
        assertError("--start 5000", new String[] {file, "--start", "5000"});
        assertError("--window 300", new String[] {file, "--start", "4000", "--window", "300"});
    }

    @Test
    public void aValueThatIsNotANumberIsNamedWithItsLine() throws Exception {
        Path file = folder.newFile("bad.csv").toPath();
        Files.write(file, List.of("timestamp,value", "t1,1", "t2,lots"));
        assertError("line 3", file.toString());
    }

    private void assertError(String expected, String... args) throws Exception {
        out.reset();
        err.reset();
        assertEquals(Arrays.toString(args), 2, run(args));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(message, 1, message.strip().lines().count());
        assertTrue(message, message.contains(expected));
        assertFalse(message, message.contains("Exception"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
