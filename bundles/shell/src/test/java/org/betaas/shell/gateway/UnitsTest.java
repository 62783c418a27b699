package org.betaas.shell.gateway;

import static org.junit.Assert.assertEquals;

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
}
