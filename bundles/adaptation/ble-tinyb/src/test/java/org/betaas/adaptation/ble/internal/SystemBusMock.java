package org.betaas.adaptation.ble.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * python3-dbusmock's BlueZ on a private dbus-daemon listening where this JVM's DBUS_SYSTEM_BUS_ADDRESS points
 * (set by surefire: tinyb's glib reads it once, at the first connection). Driven by bluez_mock_ctl.py from the
 * BlueZ provider's test jar. Started and stopped by the test.
 */
final class SystemBusMock implements AutoCloseable {

    private static final String PYTHON = "/usr/bin/python3";

    private final Path dir;
    private final String address;
    private final Path script;
    private Process daemon;
    private Process mock;

    /** The system bus address this JVM was started with, or null. */
    static String configuredAddress() {
        String a = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return a != null && a.startsWith("unix:path=") ? a : null;
    }

    /** Whether dbus-daemon and python3-dbusmock are installed (itests/host/setup installs them). */
    static boolean available() {
        if (configuredAddress() == null || !Files.isExecutable(Path.of("/usr/bin/dbus-daemon"))
                || !Files.isExecutable(Path.of(PYTHON))) {
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

    SystemBusMock() throws IOException, InterruptedException {
        address = configuredAddress();
        Path socket = Path.of(address.substring("unix:path=".length()));
        dir = socket.getParent();
        Files.createDirectories(dir);
        Files.deleteIfExists(socket);
        script = dir.resolve("bluez_mock_ctl.py");
        try (InputStream in = SystemBusMock.class.getResourceAsStream("/bluez_mock_ctl.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            daemon = new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--address=" + address)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dbus-daemon.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(socket)) {
                if (System.nanoTime() > deadline || !daemon.isAlive()) {
                    throw new IOException("dbus-daemon did not listen on " + address + ": "
                            + Files.readString(dir.resolve("dbus-daemon.log")));
                }
                Thread.sleep(20);
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

    /** Runs one bluez_mock_ctl.py command; returns its output lines. */
    List<String> ctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), address));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("bluez_mock_ctl " + String.join(" ", args) + " failed: " + output);
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
    }
}
