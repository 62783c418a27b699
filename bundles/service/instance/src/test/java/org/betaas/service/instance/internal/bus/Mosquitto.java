package org.betaas.service.instance.internal.bus;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.junit.Assume;

/** A mosquitto broker on 127.0.0.1 for the bus tests: the tools it needs, its start, and waiting on conditions. */
final class Mosquitto {

    static final String BINARY = "/usr/sbin/mosquitto";

    private Mosquitto() {
    }

    /** Skips the test where a tool is missing, except on CI, where itests/host/setup installs them all. */
    static void require(String... tools) {
        for (String tool : tools) {
            boolean present = new File(tool).canExecute();
            assertTrue(tool + " missing: run itests/host/setup", present || System.getenv("CI") == null);
            Assume.assumeTrue(tool + " not installed (itests/host/setup installs it)", present);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts mosquitto with the configuration file and returns once it listens on the port. */
    static Process start(Path conf, int port, ProcessBuilder.Redirect output) throws IOException, InterruptedException {
        Process broker = new ProcessBuilder(BINARY, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(output).start();
        await("mosquitto listening on " + port, 10_000, () -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return broker;
    }

    static void await(String what, long ms, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
