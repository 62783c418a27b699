package org.betaas.service.instance.internal.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.betaas.api.instance.InstanceInfo.MembershipState;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Broker access by TLS client certificate: a mosquitto on 127.0.0.1 with {@code require_certificate true} and
 * {@code use_identity_as_username true} (the certificate's CN is the gateway's broker identity), with a CA, server
 * and client certificates made by openssl and keytool in a temporary folder. A gateway with a certificate of the
 * instance's CA joins; one without a certificate, or with one of another CA, is refused by the broker.
 */
public class BusSessionTlsTest {

    private static final String KEY = "instance-key-for-the-tls-test";
    private static final String PW = "store-password";
    private Path dir;
    private Process broker;
    private int port;
    private final List<BusSession> sessions = new ArrayList<>();

    @Before
    public void startTlsBroker() throws Exception {
        Mosquitto.require(Mosquitto.BINARY, "/usr/bin/openssl");
        dir = Files.createTempDirectory("betaas-tls");
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        // the instance's CA, the broker's certificate for 127.0.0.1, gw-1's client certificate
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=BETaaS test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        signed("server", "/CN=127.0.0.1", "ca", "server.ext");
        signed("gw-1", "/CN=gw-1", "ca", null);
        run("openssl", "pkcs12", "-export", "-in", "gw-1.crt", "-inkey", "gw-1.key", "-name", "gw-1",
                "-out", "gw-1.p12", "-passout", "pass:" + PW);
        // a certificate of another CA, with the same CN
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=rogue CA",
                "-keyout", "rogue-ca.key", "-out", "rogue-ca.crt");
        signed("rogue", "/CN=gw-1", "rogue-ca", null);
        run("openssl", "pkcs12", "-export", "-in", "rogue.crt", "-inkey", "rogue.key", "-name", "gw-1",
                "-out", "rogue.p12", "-passout", "pass:" + PW);
        run("keytool", "-importcert", "-noprompt", "-alias", "instance-ca", "-file", "ca.crt", "-keystore",
                "trust.p12", "-storetype", "PKCS12", "-storepass", PW);
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().setReadable(true, false)); // mosquitto may drop root privileges
        }
        port = Mosquitto.freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n"
                + "cafile " + dir.resolve("ca.crt") + "\ncertfile " + dir.resolve("server.crt") + "\nkeyfile "
                + dir.resolve("server.key") + "\nrequire_certificate true\nuse_identity_as_username true\n"
                + "allow_anonymous false\npersistence false\n");
        broker = Mosquitto.start(conf, port, ProcessBuilder.Redirect.to(dir.resolve("mosquitto.log").toFile()));
    }

    @After
    public void stop() throws Exception {
        for (BusSession s : sessions) {
            s.close(true);
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    public void aGatewayWithAClientCertificateOfTheInstancesCaJoins() throws Exception {
        BusSession s = session("gw-1", new BrokerTls(dir.resolve("gw-1.p12"), PW, dir.resolve("trust.p12"), PW));
        Mosquitto.await("joined over TLS", 15_000, () -> s.state() == MembershipState.JOINED);
        assertTrue(s.detail(), s.detail().contains("ssl://127.0.0.1:" + port));
        // it is on the bus: its own retained status comes back through the broker to a second member
        BusSession peer = session("gw-2", new BrokerTls(dir.resolve("gw-1.p12"), PW, dir.resolve("trust.p12"), PW));
        Mosquitto.await("the second member sees the first", 15_000,
                () -> peer.peers().stream().anyMatch(p -> p.gatewayId().equals("gw-1") && p.online()));
    }

    @Test
    public void aGatewayWithoutAClientCertificateIsRefused() throws Exception {
        BusSession s = session("gw-3", new BrokerTls(null, "", dir.resolve("trust.p12"), PW));
        assertRefused(s);
    }

    @Test
    public void aGatewayWithACertificateOfAnotherCaIsRefused() throws Exception {
        BusSession s = session("gw-4", new BrokerTls(dir.resolve("rogue.p12"), PW, dir.resolve("trust.p12"), PW));
        assertRefused(s);
    }

    @Test
    public void anUnreadableKeyStoreIsNamedInTheDetail() throws Exception {
        BusSession s = session("gw-5", new BrokerTls(dir.resolve("missing.p12"), PW, dir.resolve("trust.p12"), PW));
        // a session starts UNREACHABLE ("connecting"): await the detail of the failed attempt itself
        try {
            Mosquitto.await("the detail to name the key store", 15_000, () -> s.state() == MembershipState.UNREACHABLE
                    && s.detail().contains("broker.keyStore") && s.detail().contains("missing.p12"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; detail now: " + s.detail(), e);
        }
    }

    /** The broker ends the handshake: the session never joins and says why it is not joined. */
    private static void assertRefused(BusSession s) throws Exception {
        Mosquitto.await("connection attempt failed", 15_000, () -> s.state() == MembershipState.UNREACHABLE);
        long end = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < end) {
            assertEquals(s.detail(), MembershipState.UNREACHABLE, s.state());
            Thread.sleep(100);
        }
        assertTrue(s.detail(), s.detail().startsWith("not joined: broker ssl://127.0.0.1:"));
    }

    private BusSession session(String id, BrokerTls tls) {
        BusSession.Options o = new BusSession.Options("ssl://127.0.0.1:" + port, "", "", new InstanceKey(KEY),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(3),
                Duration.ofMinutes(10), 0, tls);
        BusSession s = new BusSession("tls", id, o, new BusSessionMosquittoTest.FakeLocal(id), Clock.systemUTC(),
                d -> { });
        sessions.add(s);
        s.start();
        return s;
    }

    private void signed(String name, String subject, String ca, String ext) throws Exception {
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key",
                "-out", name + ".csr");
        List<String> sign = new ArrayList<>(List.of("openssl", "x509", "-req", "-days", "2", "-in", name + ".csr",
                "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial", "-out", name + ".crt"));
        if (ext != null) {
            sign.addAll(List.of("-extfile", ext));
        }
        run(sign.toArray(new String[0]));
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(String.join(" ", command) + " did not finish", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
    }

}
