package org.betaas.adaptation.ble.bluez.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.util.List;

import org.betaas.api.ble.BleDevice;
import org.betaas.api.ble.BleException;
import org.betaas.api.ble.BleStatus;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The BlueZ provider against python3-dbusmock's BlueZ on a private bus. */
public class BluezProviderTest {

    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String ADDR = "AA:BB:CC:DD:EE:01";

    private BluezMockBus bus;
    private BluezProvider provider;

    @Before
    public void start() throws Exception {
        assumeTrue("python3-dbusmock and dbus are not installed (itests/host/setup installs them)",
                BluezMockBus.available());
        bus = new BluezMockBus();
    }

    @After
    public void stop() {
        if (provider != null) {
            provider.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    public void withoutAdapterTheStatusSaysSoAndCallsFailClearly() {
        provider = new BluezProvider(bus.address(), "", 2000);
        BleStatus status = provider.status();
        assertFalse(status.available());
        assertTrue(status.detail(), status.detail().startsWith("no Bluetooth adapter on " + bus.address()));
        try {
            provider.devices();
            fail("devices without an adapter");
        } catch (BleException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no Bluetooth adapter"));
        }
    }

    @Test
    public void withoutABusTheStatusNamesTheMissingSocket() {
        provider = new BluezProvider("unix:path=/nonexistent/betaas/bus", "", 2000);
        BleStatus status = provider.status();
        assertFalse(status.available());
        assertTrue(status.detail(), status.detail().contains("no D-Bus bus at unix:path=/nonexistent/betaas/bus"));
    }

    @Test
    public void devicesCharacteristicsNotificationsAndRemoval() throws Exception {
        bus.ctl("adapter", "hci0", "betaas-test");
        String device = bus.ctl("device", "hci0", ADDR, "env-sensor", "-55").get(0);
        List<String> chars = bus.ctl("gatt", device, TEMP + "=2909");

        provider = new BluezProvider(bus.address(), "hci0", 2000);
        RecordingBleListener events = new RecordingBleListener();
        provider.addListener(events);
        BleStatus status = provider.status();
        assertTrue(status.detail(), status.available());
        assertTrue(status.detail(), status.detail().startsWith("adapter hci0"));
        provider.startScan();

        assertEquals(List.of(new BleDevice(ADDR, "env-sensor", -55, false)), provider.devices());
        provider.connect(ADDR);
        assertEquals(List.of(TEMP), provider.characteristics(ADDR));
        assertArrayEquals(new byte[] {0x29, 0x09}, provider.read(ADDR, TEMP));

        provider.subscribe(ADDR, TEMP);
        bus.ctl("value", chars.get(0), "3408");
        assertEquals("value " + ADDR + " " + TEMP + " 3408", events.next(10));

        bus.ctl("remove", "hci0", device);
        assertEquals("removed " + ADDR, events.next(10));
        assertEquals(List.of(), provider.devices());
    }
}
