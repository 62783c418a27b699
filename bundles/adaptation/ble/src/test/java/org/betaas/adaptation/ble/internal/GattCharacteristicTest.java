package org.betaas.adaptation.ble.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class GattCharacteristicTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    public void temperatureIsSigned16BitLittleEndianInHundredthsOfADegree() {
        // 0x0929 = 2345 → 23.45 °C; 0xFF38 = -200 → -2.00 °C
        assertEquals(23.45, GattCharacteristic.TEMPERATURE.decode(bytes(0x29, 0x09)).getAsDouble(), 1e-9);
        assertEquals(-2.0, GattCharacteristic.TEMPERATURE.decode(bytes(0x38, 0xff)).getAsDouble(), 1e-9);
        assertEquals("Cel", GattCharacteristic.TEMPERATURE.unit());
    }

    @Test
    public void temperatureNotKnownOrTooShortGivesNoValue() {
        assertFalse(GattCharacteristic.TEMPERATURE.decode(bytes(0x00, 0x80)).isPresent());
        assertFalse(GattCharacteristic.TEMPERATURE.decode(bytes(0x29)).isPresent());
        assertFalse(GattCharacteristic.TEMPERATURE.decode(null).isPresent());
    }

    @Test
    public void humidityIsUnsigned16BitInHundredthsOfAPercent() {
        // 0xC350 = 50000 → 500.00 would be unsigned beyond int16: check the sign is not taken
        assertEquals(655.34, GattCharacteristic.HUMIDITY.decode(bytes(0xfe, 0xff)).getAsDouble(), 1e-9);
        assertEquals(41.5, GattCharacteristic.HUMIDITY.decode(bytes(0x36, 0x10)).getAsDouble(), 1e-9);
        assertFalse(GattCharacteristic.HUMIDITY.decode(bytes(0xff, 0xff)).isPresent());
    }

    @Test
    public void batteryIsAPercentUpToOneHundred() {
        assertEquals(87.0, GattCharacteristic.BATTERY.decode(bytes(87)).getAsDouble(), 0);
        assertFalse(GattCharacteristic.BATTERY.decode(bytes(101)).isPresent());
        assertEquals("%EL", GattCharacteristic.BATTERY.unit());
    }

    @Test
    public void pressureIsUnsigned32BitInTenthsOfAPascal() {
        // 1013250 = 0x000F7602 → 101325.0 Pa
        assertEquals(101325.0, GattCharacteristic.PRESSURE.decode(bytes(0x02, 0x76, 0x0f, 0x00)).getAsDouble(), 1e-9);
    }

    @Test
    public void uuidsAreNormalisedToTheFull128BitForm() {
        String full = "00002a6e-0000-1000-8000-00805f9b34fb";
        assertEquals(full, GattCharacteristic.fullUuid("2A6E").orElseThrow());
        assertEquals(full, GattCharacteristic.fullUuid("0x2a6e").orElseThrow());
        assertEquals(full, GattCharacteristic.fullUuid("00002A6E").orElseThrow());
        assertEquals(full, GattCharacteristic.fullUuid(full.toUpperCase()).orElseThrow());
        assertFalse(GattCharacteristic.fullUuid("temperature").isPresent());
        assertTrue(GattCharacteristic.known("2a19").isPresent());
    }
}
