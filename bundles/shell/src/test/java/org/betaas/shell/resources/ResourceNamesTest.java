package org.betaas.shell.resources;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.betaas.api.resources.ResourceKind;
import org.junit.Test;

public class ResourceNamesTest {

    @Test
    public void namesAreTypedInLowerCaseAndParsedInAnyCase() {
        assertEquals(java.util.List.of("cpu", "memory", "storage", "battery"), ResourceNames.all());
        assertEquals(ResourceKind.CPU, ResourceNames.parse("CPU").orElseThrow());
        assertEquals(ResourceKind.STORAGE, ResourceNames.parse(" storage ").orElseThrow());
        assertTrue(ResourceNames.parse("disk").isEmpty());
        assertTrue(ResourceNames.parse(null).isEmpty());
    }

    @Test
    public void amountsAreShownInTheResourcesUnit() {
        assertEquals("12.5 %", ResourceNames.amount(ResourceKind.CPU, 0.125));
        assertEquals("1.5 GiB", ResourceNames.amount(ResourceKind.MEMORY, 1.5 * (1L << 30)));
        assertEquals("512 B", ResourceNames.amount(ResourceKind.STORAGE, 512));
        assertEquals("-2.0 MiB", ResourceNames.change(ResourceKind.MEMORY, -2.0 * (1 << 20)));
        assertEquals("+0.1 %", ResourceNames.change(ResourceKind.CPU, 0.001));
        assertEquals("80.0 %", ResourceNames.amount(ResourceKind.BATTERY, 80));
    }

    @Test
    public void stepsAheadAreReadable() {
        assertEquals("60 s", ForecastCommand.ahead(Duration.ofSeconds(60)));
        assertEquals("5 min", ForecastCommand.ahead(Duration.ofMinutes(5)));
        assertEquals("3.0 h", ForecastCommand.ahead(Duration.ofHours(3)));
    }
}
