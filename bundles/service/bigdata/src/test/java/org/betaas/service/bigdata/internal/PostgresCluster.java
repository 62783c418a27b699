package org.betaas.service.bigdata.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, a server on 127.0.0.1 on a free port
 * (and a Unix socket in that folder only), stopped and deleted by {@link #close()}. PostgreSQL refuses to run as
 * root, so as root the server runs as the {@code postgres} user of Debian's package (else {@code nobody}) through
 * {@code runuser}.
 */
final class PostgresCluster implements AutoCloseable {

    static final String USER = "betaas";

    private final Path dir;
    private final Path bin;
    private final List<String> asUser;
    private final int port;
    private int nextDatabase;

    private PostgresCluster(Path dir, Path bin, List<String> asUser, int port) {
        this.dir = dir;
        this.bin = bin;
        this.asUser = asUser;
        this.port = port;
    }

    /** The newest server binaries of Debian's packages: /usr/lib/postgresql/VERSION/bin. */
    static Optional<Path> serverBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The user the server runs as when this process is root; empty when none exists. */
    static Optional<String> serverUser() {
        for (String candidate : List.of("postgres", "nobody")) {
            try {
                Process p = new ProcessBuilder("id", "-u", candidate).redirectErrorStream(true).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static PostgresCluster start(Path bin) throws Exception {
        List<String> asUser = new ArrayList<>();
        Path dir = Files.createTempDirectory("betaas-pg");
        if (isRoot()) {
            String user = serverUser().orElseThrow(() -> new IllegalStateException("no non-root user"));
            asUser.addAll(List.of("runuser", "-u", user, "--"));
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            Files.setOwner(dir, owner);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresCluster cluster = new PostgresCluster(dir, bin, asUser, port);
        try {
            cluster.run(60, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
            cluster.run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(asUser);
        full.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).directory(dir.toFile());
        Path out = Files.createTempFile("betaas-pg", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String log = Files.readString(out, StandardCharsets.UTF_8);
                Path serverLog = dir.resolve("server.log");
                if (Files.exists(serverLog)) {
                    log += "\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
                }
                throw new IOException(String.join(" ", full) + " failed (" + p.exitValue() + "):\n" + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database of the cluster. */
    Database newDatabase() throws SQLException {
        return newDatabase(Database.DEFAULT_ANSWER_TIMEOUT);
    }

    /** A new, empty database of the cluster, whose callers wait for it at most {@code answerTimeout}. */
    Database newDatabase(Duration answerTimeout) throws SQLException {
        String name = "t" + (++nextDatabase);
        Properties p = new Properties();
        p.setProperty("user", USER);
        try (Connection c = new org.postgresql.Driver().connect(url("postgres"), p);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Database(url(name), USER, "", answerTimeout);
    }

    /**
     * Stops (SIGSTOP) or resumes (SIGCONT) the server and its backends: a server that stopped answering, as a hung
     * or unreachable one looks to its clients, with its connections still open.
     */
    void signal(String signal) throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
        List<String> command = new ArrayList<>(List.of("kill", "-s", signal, Long.toString(postmaster)));
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> command.add(Long.toString(d.pid()))));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                        "-w", "stop");
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
