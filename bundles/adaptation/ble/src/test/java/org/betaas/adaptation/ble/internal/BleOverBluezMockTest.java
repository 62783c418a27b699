package org.betaas.adaptation.ble.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.betaas.adaptation.ble.bluez.internal.BluezMockBus;
import org.betaas.adaptation.ble.bluez.internal.BluezProvider;
import org.betaas.api.ble.BleDeviceState;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The acceptance test of BLE discovery: this adaptor on the BlueZ provider, against python3-dbusmock's BlueZ
 * template on a private D-Bus daemon (both started and stopped here), reporting to a fake thing registry.
 */
public class BleOverBluezMockTest {

    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String BATTERY = "00002a19-0000-1000-8000-00805f9b34fb";
    private static final String NEAR = "AA:BB:CC:DD:EE:01";
    private static final String FAR = "AA:BB:CC:DD:EE:02";
    private static final String NEAR_ID = "urn:dev:mac:aabbccddee01";

    private BluezMockBus bus;
    private BluezProvider provider;
    private ExecutorService events;
    private final FakeRegistry registry = new FakeRegistry();
    private BleSession session;

    @Before
    public void start() throws Exception {
        assumeTrue("python3-dbusmock and dbus are not installed (itests/host/setup installs them)",
                BluezMockBus.available());
        bus = new BluezMockBus();
        provider = new BluezProvider(bus.address(), "", 3000);
        events = Executors.newSingleThreadExecutor();
        session = new BleSession(provider, () -> registry, () -> "gw-ble",
                CharacteristicMapping.parse(new String[] {"2A6E=temperature", "2A19=battery"}),
                new DeviceTracker(-80, 5, Duration.ofSeconds(30)), Clock.systemUTC(), events);
        provider.addListener(session);
    }

    @After
    public void stop() throws InterruptedException {
        if (session != null) {
            session.stop();
            provider.removeListener(session);
            events.shutdownNow();
            events.awaitTermination(5, TimeUnit.SECONDS);
            provider.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    private BleDeviceState state(String address) {
        return session.devices().stream().filter(d -> d.address().equals(address)).findFirst().orElseThrow();
    }

    private double last(String name) {
        return (Double) registry.last(NEAR_ID, name).orElseThrow().value();
    }

    @Test
    public void aNearDeviceIsReadAFarOneIgnoredAndARemovedOneLost() throws Exception {
        bus.ctl("adapter", "hci0", "betaas-test");
        String near = bus.ctl("device", "hci0", NEAR, "env-near", "-55").get(0);
        String nearTemperature = bus.ctl("gatt", near, TEMP + "=2909", BATTERY + "=5a").get(0);
        String far = bus.ctl("device", "hci0", FAR, "env-far", "-95").get(0);
        bus.ctl("gatt", far, TEMP + "=1027");

        session.scan();

        assertTrue(session.status().detail(), session.status().available());
        assertEquals("connected", state(NEAR).state());
        assertEquals(Integer.valueOf(-55), state(NEAR).rssi());
        assertEquals("gw-ble", registry.things.get(NEAR_ID).gatewayId());
        assertEquals("temperature,battery", registry.things.get(NEAR_ID).type());
        assertEquals(23.45, last("temperature"), 1e-9);
        assertEquals("Cel", registry.last(NEAR_ID, "temperature").orElseThrow().unit());
        assertEquals(90.0, last("battery"), 0);

        assertFalse(state(FAR).kept());
        assertTrue(state(FAR).state(), state(FAR).state().startsWith("ignored: RSSI -95 dBm < threshold -80 dBm"));
        assertFalse(registry.things.containsKey("urn:dev:mac:aabbccddee02"));

        // the device notifies a new temperature: -3.00 °C
        bus.ctl("value", nearTemperature, "d4fe");
        Await.until("the notified temperature", () -> registry.last(NEAR_ID, "temperature")
                .map(m -> ((Double) m.value()) == -3.0).orElse(false));

        bus.ctl("remove", "hci0", near);
        Await.until("the device to be reported lost", () -> registry.lost.containsKey(NEAR_ID));
        assertEquals("removed by the Bluetooth stack (out of range)", registry.lost.get(NEAR_ID));
        assertTrue(state(NEAR).state(), state(NEAR).state().startsWith("lost: "));
        assertFalse(registry.lost.containsKey("urn:dev:mac:aabbccddee02"));
    }

    @Test
    public void aDeviceThatComesCloserIsKeptAndOneThatFadesBelowTheHysteresisIsLostAfterTheGrace() throws Exception {
        session = new BleSession(provider, () -> registry, () -> "gw-ble",
                CharacteristicMapping.parse(new String[] {"2A6E=temperature"}),
                new DeviceTracker(-80, 5, Duration.ZERO), Clock.systemUTC(), events);
        bus.ctl("adapter", "hci0", "betaas-test");
        String dev = bus.ctl("device", "hci0", NEAR, "env", "-90").get(0);
        bus.ctl("gatt", dev, TEMP + "=0000");

        session.scan();
        assertFalse(state(NEAR).kept());
        bus.ctl("rssi", dev, "-70");
        session.scan();
        assertEquals("connected", state(NEAR).state());
        assertEquals(0.0, last("temperature"), 0);

        bus.ctl("rssi", dev, "-84");
        session.scan();
        assertEquals("connected", state(NEAR).state());
        bus.ctl("rssi", dev, "-86");
        session.scan();
        assertEquals("RSSI -86 dBm below -85 dBm for 0 s", registry.lost.get(NEAR_ID));
    }
}
