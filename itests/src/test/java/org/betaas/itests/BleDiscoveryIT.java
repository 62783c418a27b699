package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.betaas.api.ble.BleDeviceState;
import org.betaas.api.ble.BleDiscovery;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.ThingRegistry;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * BLE discovery in the distribution: without Bluetooth it idles and says why; pointed at python3-dbusmock's BlueZ
 * (a private dbus-daemon started here, inside the container) it keeps the near device, reads its temperature,
 * ignores the far one and reports the near one lost when BlueZ removes it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BleDiscoveryIT extends BetaasTestSupport {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String TEMP = "00002a6e-0000-1000-8000-00805f9b34fb";
    private static final String NEAR = "AA:BB:CC:DD:EE:01";
    private static final String FAR = "AA:BB:CC:DD:EE:02";

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Override
    protected Option[] extraOptions() {
        // the driver of python3-dbusmock's BlueZ shared with the unit tests of the BlueZ provider
        String ctl = new File("../bundles/adaptation/ble-bluez/src/test/resources/bluez_mock_ctl.py").getAbsolutePath();
        return new Option[] {
            editConfigurationFilePut("etc/org.betaas.ble.cfg", "scan.interval.seconds", "1"),
            editConfigurationFilePut("etc/system.properties", "betaas.itest.bluez.ctl", ctl)
        };
    }

    private BleDiscovery discovery() {
        ServiceReference<BleDiscovery> ref = bundleContext.getServiceReference(BleDiscovery.class);
        return ref == null ? null : bundleContext.getService(ref);
    }

    private Optional<BleDeviceState> device(String address) {
        BleDiscovery d = discovery();
        return d == null ? Optional.empty()
                : d.devices().stream().filter(s -> s.address().equals(address)).findFirst();
    }

    @Test
    public void withoutBluetoothTheAdaptorIsActiveAndSaysWhy() {
        assertBundlesActive("org.betaas.adaptation.ble", "org.betaas.adaptation.ble.bluez");
        assertComponentsActive();
        awaitTrue("the BLE adaptor to have looked for an adapter",
                () -> discovery() != null && !discovery().providerStatus().detail().equals("not scanned yet"));
        String out = executeCommand("betaas:ble-devices");
        assertTrue(out, out.contains("Bluetooth   not available: "));
        assertFalse(out, out.contains("Exception"));
    }

    @Test
    public void aNearMockDeviceIsReadAFarOneIgnoredAndARemovedOneLost() throws Exception {
        assumeTrue("python3-dbusmock is not installed (itests/host/setup installs it)", dbusmockInstalled());
        Path dir = Files.createTempDirectory("betaas-ble-it");
        List<Process> processes = new ArrayList<>();
        Configuration config = configurationAdmin.getConfiguration("org.betaas.ble.bluez", null);
        try {
            Process daemon = new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--print-address=1",
                    "--address=unix:path=" + dir.resolve("bus")).redirectError(dir.resolve("daemon.log").toFile()).start();
            processes.add(daemon);
            String address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))
                    .readLine().trim();
            ProcessBuilder mock = new ProcessBuilder(PYTHON, "-m", "dbusmock", "--template", "bluez5")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dbusmock.log").toFile());
            mock.environment().put("DBUS_SYSTEM_BUS_ADDRESS", address);
            processes.add(mock.start());
            ctl(address, "wait");
            ctl(address, "adapter", "hci0", "betaas-itest");
            String near = ctl(address, "device", "hci0", NEAR, "env-near", "-55").get(0);
            ctl(address, "gatt", near, TEMP + "=2909");
            String far = ctl(address, "device", "hci0", FAR, "env-far", "-95").get(0);
            ctl(address, "gatt", far, TEMP + "=1027");

            Dictionary<String, Object> props = new Hashtable<>();
            props.put("dbus.address", address);
            props.put("connect.timeout.ms", "3000");
            config.update(props);

            awaitTrue("the near device to be connected, now " + device(NEAR),
                    () -> device(NEAR).map(d -> d.state().equals("connected")).orElse(false));
            awaitTrue("the far device to be seen", () -> device(FAR).isPresent());
            assertFalse(device(FAR).get().kept());
            String out = executeCommand("betaas:ble-devices");
            assertTrue(out, out.contains("Bluetooth   adapter hci0"));
            assertTrue(out, out.matches("(?s).*" + NEAR + "\\s*\\|\\s*env-near\\s*\\|\\s*-55 dBm\\s*\\|\\s*kept\\s*\\|\\s*connected.*"));
            assertTrue(out, out.matches("(?s).*" + FAR + "\\s*\\|\\s*env-far\\s*\\|\\s*-95 dBm\\s*\\|\\s*ignored\\s*\\|\\s*ignored: RSSI -95 dBm.*"));

            ServiceReference<ThingRegistry> registryRef = bundleContext.getServiceReference(ThingRegistry.class);
            if (registryRef != null) {
                ThingRegistry registry = bundleContext.getService(registryRef);
                awaitTrue("the near device's temperature in the thing registry", () -> registry
                        .lastValues("urn:dev:mac:aabbccddee01").stream().map(Measurement::value)
                        .anyMatch(v -> v instanceof Double && Math.abs((Double) v - 23.45) < 1e-9));
                assertTrue(registry.find("urn:dev:mac:aabbccddee02").isEmpty());
            }

            ctl(address, "remove", "hci0", near);
            awaitTrue("the near device to be lost, now " + device(NEAR),
                    () -> device(NEAR).map(d -> d.state().equals("lost: removed by the Bluetooth stack (out of range)"))
                            .orElse(false));
            assertEquals("ignored", device(FAR).get().kept() ? "kept" : "ignored");
        } finally {
            config.delete();
            // let the provider leave the mock bus before the bus goes away
            awaitTrue("the BLE provider to be back on the system bus", () -> discovery() != null
                    && !discovery().providerStatus().endpoint().contains(dir.toString()));
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean dbusmockInstalled() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import dbusmock").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && new File("/usr/bin/dbus-daemon").canExecute();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> ctl(String address, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, System.getProperty("betaas.itest.bluez.ctl"), address));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bluez_mock_ctl " + String.join(" ", args) + ": " + output,
                p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
