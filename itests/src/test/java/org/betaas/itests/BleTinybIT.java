package org.betaas.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    private static final String PYTHON = "/usr/bin/python3";
    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String NEAR = "AA:BB:CC:DD:EE:41";
    private static final String FAR = "AA:BB:CC:DD:EE:42";

    private final List<Process> bus = new ArrayList<>();
    private KarafProcess karaf;
    private Path dir;

    @Test
    public void theTinybProviderReadsANearMockDeviceIgnoresAFarOneAndReportsARemovedOneLost() throws Exception {
        assumeTrue("python3-dbusmock is not installed (itests/host/setup installs it)", dbusmockInstalled());
        dir = Files.createDirectories(Path.of("target", "tinyb-it-bus").toAbsolutePath());
        Path socket = dir.resolve("system_bus_socket");
        Files.deleteIfExists(socket);
        String address = "unix:path=" + socket;
        bus.add(new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--address=" + address)
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start());
        ProcessBuilder mock = new ProcessBuilder(PYTHON, "-m", "dbusmock", "--template", "bluez5")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dbusmock.log").toFile());
        mock.environment().put("DBUS_SYSTEM_BUS_ADDRESS", address);
        bus.add(mock.start());
        ctl(address, "wait");
        ctl(address, "adapter", "hci0", "betaas-tinyb-it");
        // before tinyb starts: dbusmock announces no GATT objects added later (see docs/architecture.md)
        String near = ctl(address, "device", "hci0", NEAR, "env-near", "-50").get(0);
        ctl(address, "gatt", near, TEMP + "=2909");
        String far = ctl(address, "device", "hci0", FAR, "env-far", "-95").get(0);
        ctl(address, "gatt", far, TEMP + "=1027");

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

        ctl(address, "remove", "hci0", near);
        karaf.await("betaas:ble-devices", out -> KarafProcess.row(out, NEAR).contains("lost: removed by the Bluetooth stack"));
    }

    @After
    public void cleanUp() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            for (int i = bus.size() - 1; i >= 0; i--) {
                Process p = bus.get(i);
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static boolean dbusmockInstalled() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import dbusmock").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && new File("/usr/bin/dbus-daemon").canExecute()
                    && "amd64".equals(System.getProperty("os.arch"));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> ctl(String address, String... args) throws Exception {
        String script = new File("../bundles/adaptation/ble-bluez/src/test/resources/bluez_mock_ctl.py").getAbsolutePath();
        List<String> command = new ArrayList<>(List.of(PYTHON, script, address));
        command.addAll(List.of(args));
        ProcessRun run = ProcessRun.of(command, null, 30);
        assertTrue("bluez_mock_ctl " + String.join(" ", args) + ": " + run.output(), run.exitCode() == 0);
        return run.output().lines().filter(l -> !l.isBlank()).toList();
    }
}
