package org.betaas.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for a test: Debian's {@code postgresql} binaries (itests/host/setup installs them),
 * initdb into a temporary folder with trust authentication, listening on 127.0.0.1 on a free port; {@link #close()}
 * stops it and deletes the folder. PostgreSQL refuses root, so as root it runs as {@code postgres} (else
 * {@code nobody}) through {@code runuser}.
 */
final class PostgresServer implements AutoCloseable {

    static final String USER = "betaas";

    private final Path dir;
    private final Path bin;
    private final List<String> asUser;
    final int port;

    private PostgresServer(Path dir, Path bin, List<String> asUser, int port) {
        this.dir = dir;
        this.bin = bin;
        this.asUser = asUser;
        this.port = port;
    }

    /** The newest /usr/lib/postgresql/VERSION/bin with initdb and pg_ctl. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> b.getParent().getFileName().toString(),
                            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static PostgresServer start(Path bin) throws Exception {
        Path dir = Files.createTempDirectory("betaas-pg");
        List<String> asUser = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            String user = userExists("postgres") ? "postgres" : "nobody";
            asUser.addAll(List.of("runuser", "-u", user, "--"));
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(dir, bin, asUser, port);
        try {
            server.run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER, "-A",
                    "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
            server.run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static boolean userExists(String user) throws Exception {
        Process p = new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** The JDBC URL of the cluster's {@code postgres} database. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(asUser);
        full.addAll(List.of(command));
        Path out = Files.createTempFile("betaas-pg", ".out");
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile())
                .directory(dir.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not end within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed (" + p.exitValue() + "): "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                        "stop");
            }
        } catch (Exception e) {
            System.err.println("The test PostgreSQL server in " + dir + " did not stop: " + e.getMessage());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("Could not delete " + dir + ": " + e.getMessage());
            }
        }
    }
}
