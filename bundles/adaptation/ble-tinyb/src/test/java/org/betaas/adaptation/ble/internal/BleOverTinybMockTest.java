package org.betaas.adaptation.ble.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.betaas.adaptation.ble.bluez.internal.BluezMockBus;
import org.betaas.adaptation.ble.bluez.internal.RecordingBleListener;
import org.betaas.adaptation.ble.tinyb.internal.TinybProvider;
import org.betaas.api.ble.BleDevice;
import org.betaas.api.ble.BleDeviceState;
import org.betaas.api.ble.BleException;
import org.betaas.api.ble.BleStatus;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runners.MethodSorters;

/**
 * The tinyb provider, with its real native libraries, against python3-dbusmock's BlueZ on a private bus that this
 * JVM sees as its system bus; then the BLE adaptor's session on it. tinyb's manager is one per process and keeps
 * its bus: the tests share one mock (each uses its own devices) and run in name order, the one that must not
 * load the libraries first.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class BleOverTinybMockTest {

    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String BATTERY = "00002a19-0000-1000-8000-00805f9b34fb";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static final String SENSOR = "AA:BB:CC:DD:EE:11";
    private static final String NEAR = "AA:BB:CC:DD:EE:21";
    private static final String FAR = "AA:BB:CC:DD:EE:22";

    private static BluezMockBus bus;
    private static String sensor;
    private static String sensorTemperature;
    private static String near;
    private static String nearTemperature;

    @BeforeClass
    public static void startBus() throws Exception {
        String system = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        assumeTrue("python3-dbusmock and dbus are not installed (itests/host/setup installs them), or surefire did "
                + "not set DBUS_SYSTEM_BUS_ADDRESS", BluezMockBus.available() && system != null
                && system.startsWith("unix:path="));
        // on the socket this JVM's system bus address names: tinyb's glib reads it once, at its first connection
        bus = new BluezMockBus(Path.of(system.substring("unix:path=".length())));
        stopBusAtExit(bus);
        bus.ctl("adapter", "hci0", "betaas-tinyb");
        // all devices are there before tinyb's manager starts: dbusmock's AddObject does not announce the GATT
        // objects with InterfacesAdded (bluetoothd does), so tinyb would not see GATT objects added later
        sensor = bus.ctl("device", "hci0", SENSOR, "env-sensor", "-55").get(0);
        sensorTemperature = bus.ctl("gatt", sensor, TEMP + "=2909").get(0);
        near = bus.ctl("device", "hci0", NEAR, "env-near", "-55").get(0);
        nearTemperature = bus.ctl("gatt", near, TEMP + "=2909", BATTERY + "=5a").get(0);
        String far = bus.ctl("device", "hci0", FAR, "env-far", "-95").get(0);
        bus.ctl("gatt", far, TEMP + "=1027");
    }

    /**
     * The bus outlives the tests: GLib's system bus connection ends its process with SIGTERM when the bus goes
     * away (exit-on-close), and tinyb keeps that connection for the JVM's life. So the mock is stopped when this
     * JVM exits, by a hook registered with it.
     */
    private static void stopBusAtExit(BluezMockBus mock) {
        Runtime.getRuntime().addShutdownHook(new Thread(mock::close, "betaas-tinyb-mock-bus-stop"));
    }

    private static TinybProvider provider() throws Exception {
        return new TinybProvider("", "", 3000, TMP.getRoot().toPath().resolve("natives"));
    }

    @Test
    public void a_librariesThatCannotLoadAreAProblemInTheStatusNotAFailure() throws Exception {
        Path empty = TMP.newFolder("no-libtinyb").toPath();
        TinybProvider provider = new TinybProvider(empty.toString(), "", 3000, TMP.getRoot().toPath());
        try {
            BleStatus status = provider.status();
            assertFalse(status.available());
            assertTrue(status.detail(), status.detail().startsWith("tinyb native library cannot load: no libtinyb.so in "
                    + empty));
            try {
                provider.devices();
                fail("devices without the native library");
            } catch (BleException e) {
                assertEquals(status.detail(), e.getMessage());
            }
        } finally {
            provider.close();
        }
    }

    @Test
    public void b_devicesCharacteristicsNotificationsAndRemoval() throws Exception {
        String address = SENSOR;

        TinybProvider provider = provider();
        RecordingBleListener events = new RecordingBleListener();
        provider.addListener(events);
        try {
            BleStatus status = provider.status();
            assertTrue(status.detail(), status.available());
            assertTrue(status.detail(), status.detail().startsWith("adapter betaas-tinyb "));
            provider.startScan();

            assertEquals(List.of(new BleDevice(SENSOR, "env-sensor", -55, false),
                    new BleDevice(NEAR, "env-near", -55, false), new BleDevice(FAR, "env-far", -95, false)),
                    provider.devices().stream().sorted(Comparator.comparing(BleDevice::address)).toList());
            provider.connect(address);
            assertEquals(List.of(TEMP), provider.characteristics(address));
            assertArrayEquals(new byte[] {0x29, 0x09}, provider.read(address, TEMP));

            provider.subscribe(address, TEMP);
            bus.ctl("value", sensorTemperature, "3408");
            String expected = "value " + address + " " + TEMP + " 3408";
            String event;
            do {
                // enabling notifications may first deliver the current value
                event = events.next(10);
            } while (event != null && event.equals("value " + address + " " + TEMP + " 2909"));
            assertEquals(expected, event);

            bus.ctl("remove", "hci0", sensor);
            assertEquals("removed " + address, events.next(10));
            assertEquals(List.of(NEAR, FAR), provider.devices().stream().map(BleDevice::address).sorted().toList());
        } finally {
            provider.close();
        }
    }

    @Test
    public void c_theAdaptorReadsANearDeviceIgnoresAFarOneAndReportsARemovedOneLost() throws Exception {
        String nearAddress = NEAR;
        String farAddress = FAR;
        String nearId = "urn:dev:mac:aabbccddee21";

        TinybProvider provider = provider();
        FakeRegistry registry = new FakeRegistry();
        ExecutorService events = Executors.newSingleThreadExecutor();
        BleSession session = new BleSession(provider, () -> registry, () -> "gw-tinyb",
                CharacteristicMapping.parse(new String[] {"2A6E=temperature", "2A19=battery"}),
                new DeviceTracker(-80, 5, Duration.ofSeconds(30)), Clock.systemUTC(), events);
        provider.addListener(session);
        try {
            session.scan();

            assertTrue(session.status().detail(), session.status().available());
            BleDeviceState nearState = state(session, nearAddress);
            assertEquals("connected", nearState.state());
            assertEquals(Integer.valueOf(-55), nearState.rssi());
            assertEquals("gw-tinyb", registry.things.get(nearId).gatewayId());
            assertEquals(23.45, latest(registry, nearId, "temperature"), 1e-9);
            assertEquals(90.0, latest(registry, nearId, "battery"), 0);

            BleDeviceState farState = state(session, farAddress);
            assertFalse(farState.kept());
            assertTrue(farState.state(), farState.state().startsWith("ignored: RSSI -95 dBm < threshold -80 dBm"));
            assertFalse(registry.things.containsKey("urn:dev:mac:aabbccddee22"));

            // the device notifies a new temperature: -3.00 °C
            bus.ctl("value", nearTemperature, "d4fe");
            Await.until("the notified temperature", () -> latest(registry, nearId, "temperature") == -3.0);

            bus.ctl("remove", "hci0", near);
            Await.until("the device to be reported lost", () -> registry.lost.containsKey(nearId));
            assertTrue(state(session, nearAddress).state(), state(session, nearAddress).state().startsWith("lost: "));
            assertFalse(registry.lost.containsKey("urn:dev:mac:aabbccddee22"));
        } finally {
            session.stop();
            provider.removeListener(session);
            events.shutdownNow();
            events.awaitTermination(5, TimeUnit.SECONDS);
            provider.close();
        }
    }

    private static BleDeviceState state(BleSession session, String address) {
        return session.devices().stream().filter(d -> d.address().equals(address)).findFirst().orElseThrow();
    }

    /** The latest value of a measurement of a thing, NaN when none. */
    private static double latest(FakeRegistry registry, String thingId, String name) {
        return registry.last(thingId, name).map(m -> ((Number) m.value()).doubleValue()).orElse(Double.NaN);
    }
}
