package org.betaas.itests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end (bin/client, mosquitto_pub, tar…) by the ITs that drive whole distributions as
 * processes: its exit code and everything it printed.
 */
record ProcessRun(int exitCode, String output) {

    /** Runs the command with {@code stdin} (or none) as input; a run past the timeout is killed, exit code -1. */
    static ProcessRun of(List<String> command, String stdin, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("betaas-it", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new ProcessRun(-1, "timed out: " + command.get(0));
            }
            return new ProcessRun(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
