package org.betaas.shell.bigdata;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.betaas.api.bigdata.DurationText;
import org.junit.Test;

public class BigDataQueryCommandTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    public void aDurationIsReadSilently() {
        assertEquals(Optional.of(Duration.ofMinutes(15)), BigDataQueryCommand.duration(out, "--since", "15m"));
        assertEquals(Optional.of(Duration.ofHours(1)), BigDataQueryCommand.duration(out, "--bucket", "pt1h"));
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void aWrongDurationIsOneLineNamingTheOptionAndTheInput() {
        assertEquals(Optional.empty(), BigDataQueryCommand.duration(out, "--since", "yesterday"));
        assertEquals("--since 'yesterday' is not a duration: give " + DurationText.FORMS + System.lineSeparator(),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void anUpperCaseMIsNoLongerMinutes() {
        assertEquals(Optional.empty(), BigDataQueryCommand.duration(out, "--bucket", "15M"));
        String line = printed.toString(StandardCharsets.UTF_8);
        assertEquals(line, 1, line.lines().count());
        assertTrue(line, line.startsWith("--bucket '15M' is ambiguous (minutes or months?): write 15m or PT15M"));
    }
}
