package org.betaas.adaptation.ble.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class CharacteristicMappingTest {

    @Test
    public void entriesMapUuidsToTypesWithTheSpecDefaults() {
        CharacteristicMapping m = CharacteristicMapping.parse(new String[] {"2A6E=room-temperature", "0x2a19"});
        assertTrue(m.problems().toString(), m.problems().isEmpty());
        assertEquals("room-temperature", m.get("00002a6e-0000-1000-8000-00805f9b34fb").orElseThrow().type());
        assertEquals("battery", m.get("2A19").orElseThrow().type());
        assertTrue(m.get("2A6F").isEmpty());
    }

    @Test
    public void aCommaSeparatedSingleValueIsSplit() {
        CharacteristicMapping m = CharacteristicMapping.parse(new String[] {"2A6E=temperature, 2A6F=humidity"});
        assertEquals(2, m.entries().size());
    }

    @Test
    public void unusableEntriesBecomeProblemsNamingTheEntry() {
        CharacteristicMapping m = CharacteristicMapping.parse(new String[] {"2A6E", "2A99=co2", "temp", "2A6F=a b"});
        assertEquals(1, m.entries().size());
        assertEquals(3, m.problems().size());
        assertTrue(m.problems().get(0), m.problems().get(0).contains("2A99") && m.problems().get(0).contains("2A6E (temperature)"));
        assertTrue(m.problems().get(1), m.problems().get(1).contains("'temp'"));
        assertTrue(m.problems().get(2), m.problems().get(2).contains("'a b'"));
    }

    @Test
    public void nothingToReadIsAProblem() {
        assertEquals(1, CharacteristicMapping.parse(new String[0]).problems().size());
    }
}
