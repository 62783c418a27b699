package org.betaas.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.betaas.adaptation.ble.bluez.internal.BluezMockBus;
import org.junit.After;
import org.junit.Test;

/**
 * The optional feature betaas-ble-tinyb in the real distribution: its tinyb natives load inside Karaf and, with
 * the adaptor switched to it, read python3-dbusmock's BlueZ. tinyb reaches BlueZ only on the system bus named by
 * DBUS_SYSTEM_BUS_ADDRESS, read from Karaf's environment at start, so Karaf runs as a process
 * ({@link KarafProcess}) with that variable in bin/setenv, pointing at a dbus-daemon started here. Karaf stops
 * before the bus: GLib ends its process when the system bus connection closes.
 */
public class BleTinybIT {

    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String NEAR = "AA:BB:CC:DD:EE:41";
    private static final String FAR = "AA:BB:CC:DD:EE:42";

    private BluezMockBus bus;
    private KarafProcess karaf;

    @Test
    public void theTinybProviderReadsANearMockDeviceIgnoresAFarOneAndReportsARemovedOneLost() throws Exception {
        assumeTrue("python3-dbusmock is not installed (itests/host/setup installs it), or not on x86_64",
                BluezMockBus.available() && "amd64".equals(System.getProperty("os.arch")));
        bus = new BluezMockBus(Path.of("target", "tinyb-it-bus", "system_bus_socket"));
        String address = bus.address();
        bus.ctl("adapter", "hci0", "betaas-tinyb-it");
        // before tinyb starts: dbusmock announces no GATT objects added later (see docs/architecture.md)
        String near = bus.ctl("device", "hci0", NEAR, "env-near", "-50").get(0);
        bus.ctl("gatt", near, TEMP + "=2909");
        String far = bus.ctl("device", "hci0", FAR, "env-far", "-95").get(0);
        bus.ctl("gatt", far, TEMP + "=1027");

        karaf = KarafProcess.unpack("tinyb-ble");
        Files.writeString(karaf.home().resolve("bin/setenv"), "\nexport DBUS_SYSTEM_BUS_ADDRESS=" + address + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        karaf.set("org.betaas.ble.cfg", "scan.interval.seconds", "1");
        karaf.set("org.betaas.broker.cfg", "enabled", "false");
        karaf.start();

        karaf.await("bundle:list -s", out -> out.lines()
                .anyMatch(l -> l.contains("Active") && l.trim().endsWith("| org.betaas.adaptation.ble")));
        String installed = karaf.client("feature:install betaas-ble-tinyb");
        karaf.await("bundle:list -s", out -> KarafProcess.row(out, "org.betaas.adaptation.ble.tinyb").contains("Active"));
        // the full gateway carries betaas-ble too: the operator points the adaptor at the tinyb provider, as
        // etc/org.betaas.ble.cfg says (a setting that stays, unlike disabling BlueZ's component)
        karaf.client("config:property-set -p org.betaas.ble provider.target \"(provider=tinyb)\"");
        assertTrue(Files.readString(karaf.home().resolve("etc/org.betaas.ble.cfg")).contains("scan.interval.seconds"));
        String devices = karaf.await("betaas:ble-devices",
                out -> KarafProcess.row(out, NEAR).contains("connected") && KarafProcess.row(out, FAR).contains("ignored"));
        assertTrue(installed + devices, devices.contains("Bluetooth   adapter betaas-tinyb-it"));
        assertTrue(devices, KarafProcess.row(devices, FAR).contains("ignored: RSSI -95 dBm"));
        String info = karaf.await("betaas:thing-info urn:dev:mac:aabbccddee41", out -> out.contains("23.45 Cel"));
        assertTrue(info, info.contains("ble.provider = tinyb"));
        assertTrue("libjavatinyb copied under data/", Files.exists(karaf.home()
                .resolve("data/betaas/tinyb/native-linux-x86_64/libjavatinyb.so")));

        bus.ctl("remove", "hci0", near);
        karaf.await("betaas:ble-devices", out -> KarafProcess.row(out, NEAR).contains("lost: removed by the Bluetooth stack"));
    }

    @After
    public void cleanUp() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (bus != null) {
                bus.close();
            }
        }
    }
}
