package org.betaas.adaptation.ble.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.ble.BleDevice;
import org.betaas.api.ble.BleDeviceState;
import org.betaas.api.ble.BleException;
import org.betaas.api.ble.BleListener;
import org.betaas.api.ble.BleProvider;
import org.betaas.api.ble.BleStatus;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;
import org.junit.Test;

public class BleSessionTest {

    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String BATTERY = "00002a19-0000-1000-8000-00805f9b34fb";
    private static final String NEAR = "AA:BB:CC:00:00:01";
    private static final String FAR = "AA:BB:CC:00:00:02";

    /** A BLE stack in memory. */
    static final class FakeProvider implements BleProvider {
        boolean available = true;
        final Map<String, BleDevice> devices = new HashMap<>();
        final Map<String, Map<String, byte[]>> values = new HashMap<>();
        final List<BleListener> listeners = new CopyOnWriteArrayList<>();
        final List<String> connected = new ArrayList<>();

        @Override public String name() { return "fake"; }
        @Override public BleStatus status() {
            return new BleStatus(available, "memory", available ? "adapter fake0" : "no Bluetooth adapter");
        }
        @Override public void startScan() { }
        @Override public void stopScan() { }
        @Override public List<BleDevice> devices() { return List.copyOf(devices.values()); }
        @Override public void connect(String address) throws BleException {
            if (!values.containsKey(address)) {
                throw new BleException(address + " does not answer");
            }
            connected.add(address);
        }
        @Override public void disconnect(String address) { connected.remove(address); }
        @Override public List<String> characteristics(String address) {
            return List.copyOf(values.getOrDefault(address, Map.of()).keySet());
        }
        @Override public byte[] read(String address, String uuid) {
            return values.get(address).get(uuid);
        }
        @Override public void subscribe(String address, String uuid) throws BleException {
            if (uuid.equals(BATTERY)) {
                throw new BleException("battery does not notify");
            }
        }
        @Override public void addListener(BleListener l) { listeners.add(l); }
        @Override public void removeListener(BleListener l) { listeners.remove(l); }
    }

    private final FakeProvider provider = new FakeProvider();
    private final FakeRegistry registry = new FakeRegistry();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final BleSession session = new BleSession(provider, () -> registry, () -> "gw-1",
            CharacteristicMapping.parse(new String[] {"2A6E=temperature", "2A19=battery"}),
            new DeviceTracker(-80, 5, Duration.ofSeconds(30)),
            new Clock() {
                @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(java.time.ZoneId zone) { return this; }
                @Override public Instant instant() { return now; }
            }, Runnable::run);

    private void sensor(String address, int rssi, int centiCelsius, int battery) {
        provider.devices.put(address, new BleDevice(address, "env-" + address.substring(15), rssi, false));
        provider.values.put(address, new HashMap<>(Map.of(
                TEMP, new byte[] {(byte) centiCelsius, (byte) (centiCelsius >> 8)},
                BATTERY, new byte[] {(byte) battery})));
    }

    @org.junit.Before
    public void listen() {
        provider.addListener(session);
    }

    private BleDeviceState state(String address) {
        return session.devices().stream().filter(d -> d.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    public void aNearDeviceBecomesAThingWithItsValuesAndAFarOneIsIgnored() {
        sensor(NEAR, -60, 2150, 90);
        sensor(FAR, -95, 1800, 50);
        session.scan();

        Thing thing = registry.things.get("urn:dev:mac:aabbcc000001");
        assertEquals(ThingKind.SENSOR, thing.kind());
        assertEquals("ble", thing.protocol());
        assertEquals("gw-1", thing.gatewayId());
        assertEquals(NEAR, thing.metadata().get("ble.address"));
        assertEquals(21.5, (Double) registry.last(thing.id(), "temperature").orElseThrow().value(), 1e-9);
        assertEquals("Cel", registry.last(thing.id(), "temperature").orElseThrow().unit());
        assertEquals(90.0, (Double) registry.last(thing.id(), "battery").orElseThrow().value(), 0);
        assertFalse(registry.things.containsKey("urn:dev:mac:aabbcc000002"));
        assertEquals(List.of(NEAR), provider.connected);

        assertEquals("connected", state(NEAR).state());
        assertTrue(state(FAR).state(), state(FAR).state().startsWith("ignored: RSSI -95 dBm"));
        assertFalse(state(FAR).kept());
    }

    @Test
    public void notifiedValuesArriveAndUnsubscribedOnesAreReReadOnEachScan() {
        sensor(NEAR, -60, 2150, 90);
        session.scan();
        provider.listeners.forEach(l -> l.valueChanged(NEAR, TEMP, new byte[] {(byte) 0x34, (byte) 0x08}));
        assertEquals(21.0, (Double) registry.last("urn:dev:mac:aabbcc000001", "temperature").orElseThrow().value(), 1e-9);

        provider.values.get(NEAR).put(BATTERY, new byte[] {42});
        now = now.plusSeconds(10);
        session.scan();
        assertEquals(42.0, (Double) registry.last("urn:dev:mac:aabbcc000001", "battery").orElseThrow().value(), 0);
    }

    @Test
    public void aRemovedDeviceIsReportedLost() {
        sensor(NEAR, -60, 2150, 90);
        session.scan();
        provider.devices.remove(NEAR);
        provider.listeners.forEach(l -> l.deviceRemoved(NEAR));
        assertEquals("removed by the Bluetooth stack (out of range)", registry.lost.get("urn:dev:mac:aabbcc000001"));
        assertTrue(provider.connected.isEmpty());
        assertTrue(state(NEAR).state(), state(NEAR).state().startsWith("lost: "));
    }

    @Test
    public void aDeviceThatFadesIsLostAfterTheGracePeriod() {
        sensor(NEAR, -60, 2150, 90);
        session.scan();
        provider.devices.put(NEAR, new BleDevice(NEAR, "env", -99, true));
        for (int i = 0; i < 3; i++) {
            now = now.plusSeconds(10);
            session.scan();
            assertTrue(registry.lost.isEmpty());
        }
        now = now.plusSeconds(10);
        session.scan();
        assertEquals("RSSI -99 dBm below -85 dBm for 30 s", registry.lost.get("urn:dev:mac:aabbcc000001"));
    }

    @Test
    public void aDeviceThatDoesNotAnswerIsRetriedOnTheNextScan() {
        provider.devices.put(NEAR, new BleDevice(NEAR, "env", -60, false));
        session.scan();
        assertTrue(state(NEAR).state(), state(NEAR).state().startsWith("failed: " + NEAR + " does not answer"));
        sensor(NEAR, -60, 2150, 90);
        session.scan();
        assertEquals("connected", state(NEAR).state());
        assertTrue(registry.things.containsKey("urn:dev:mac:aabbcc000001"));
    }

    @Test
    public void withoutAnAdapterNothingHappensAndTheStatusSaysWhy() {
        provider.available = false;
        sensor(NEAR, -60, 2150, 90);
        session.scan();
        assertFalse(session.status().available());
        assertEquals("no Bluetooth adapter", session.status().detail());
        assertTrue(session.devices().isEmpty());
        assertTrue(registry.things.isEmpty());
    }
}
