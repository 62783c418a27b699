package org.betaas.adaptation.ble.bluez.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private D-Bus daemon with python3-dbusmock's BlueZ template on it, for tests: started and stopped by the test.
 * {@link #ctl} drives the mock (adapters, devices, RSSI, GATT characteristics) through bluez_mock_ctl.py.
 */
public final class BluezMockBus implements AutoCloseable {

    private static final String PYTHON = "/usr/bin/python3";

    private final Path dir;
    private Process daemon;
    private final String address;
    private Process mock;
    private final Path script;

    /** Whether dbus-daemon and python3-dbusmock are installed (itests/host/setup installs them). */
    public static boolean available() {
        if (!Files.isExecutable(Path.of("/usr/bin/dbus-daemon")) || !Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import dbusmock").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public BluezMockBus() throws IOException, InterruptedException {
        this(null);
    }

    /**
     * On {@code socket} (a unix socket path: where a JVM's DBUS_SYSTEM_BUS_ADDRESS already points, as tinyb's glib
     * reads it once), or on a fresh socket in a temporary folder when null. {@link #close()} deletes the folder.
     */
    public BluezMockBus(Path socket) throws IOException, InterruptedException {
        dir = socket == null ? Files.createTempDirectory("betaas-bluez-mock")
                : Files.createDirectories(socket.toAbsolutePath().getParent());
        Path bus = socket == null ? dir.resolve("bus") : socket.toAbsolutePath();
        Files.deleteIfExists(bus);
        address = "unix:path=" + bus;
        script = dir.resolve("bluez_mock_ctl.py");
        try (InputStream in = BluezMockBus.class.getResourceAsStream("/bluez_mock_ctl.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            daemon = new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--address=" + address)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dbus-daemon.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(bus)) {
                if (System.nanoTime() > deadline || !daemon.isAlive()) {
                    throw new IOException("dbus-daemon did not listen on " + address + ": "
                            + Files.readString(dir.resolve("dbus-daemon.log")));
                }
                Thread.sleep(20); // dbus-daemon tells nothing when it listens: the socket file appears
            }
            ProcessBuilder pb = new ProcessBuilder(PYTHON, "-m", "dbusmock", "--template", "bluez5")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dbusmock.log").toFile());
            pb.environment().put("DBUS_SYSTEM_BUS_ADDRESS", address);
            mock = pb.start();
            ctl("wait");
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public String address() {
        return address;
    }

    /** Runs one bluez_mock_ctl.py command; returns its output lines. */
    public List<String> ctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), address));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("bluez_mock_ctl " + String.join(" ", args) + " failed: " + output
                    + "\ndbusmock log: " + Files.readString(dir.resolve("dbusmock.log")));
        }
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() {
        for (Process p : new Process[] {mock, daemon}) {
            if (p == null) {
                continue;
            }
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
