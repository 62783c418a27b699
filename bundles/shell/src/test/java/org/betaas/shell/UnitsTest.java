package org.betaas.shell;

import static org.junit.Assert.assertEquals;

import java.time.Duration;

import org.junit.Test;

public class UnitsTest {

    @Test
    public void bytesUseBinaryUnits() {
        assertEquals("512 B", Units.bytes(512));
        assertEquals("1.5 KiB", Units.bytes(1536));
        assertEquals("2.0 GiB", Units.bytes(2L << 30));
    }

    @Test
    public void percentOfAFraction() {
        assertEquals("12.5 %", Units.percent(0.125));
    }

    @Test
    public void durationsInTheLargestWholeUnit() {
        assertEquals("7 d", Units.duration(Duration.ofDays(7)));
        assertEquals("6 h", Units.duration(Duration.ofHours(6)));
        assertEquals("90 min", Units.duration(Duration.ofMinutes(90)));
        assertEquals("45 s", Units.duration(Duration.ofSeconds(45)));
    }

    @Test
    public void countsSayOneSampleButTwoSamples() {
        assertEquals("1 sample", Units.count(1, "sample"));
        assertEquals("0 samples", Units.count(0, "sample"));
        assertEquals("288 samples", Units.count(288, "sample"));
    }
}
