package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.things.Measurement;
import org.h2.tools.Server;
import org.junit.After;
import org.junit.Test;

/** The component's way with a database that is slow, hung or down when the gateway starts. */
public class BigDataComponentTest {

    private BigDataComponent component;

    @After
    public void deactivate() {
        if (component != null) {
            component.deactivate();
        }
    }

    /** The configuration as the cfg file would give it: the defaults, with this URL and a 1 s check. */
    private static BigDataConfiguration config(String url) {
        return (BigDataConfiguration) Proxy.newProxyInstance(BigDataConfiguration.class.getClassLoader(),
                new Class<?>[] {BigDataConfiguration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "jdbc_url" -> url;
                    case "check_interval_s" -> 1;
                    default -> method.getDefaultValue();
                });
    }

    /**
     * A PostgreSQL server that accepts connections and never answers held the activation — Karaf's feature deployer,
     * and so every bundle after this one — for good. Activation now returns, and the manager says the database is
     * not available instead of waiting for it.
     */
    @Test(timeout = 30_000)
    public void aDatabaseThatNeverAnswersDoesNotHoldTheActivation() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0)); // accepts (the backlog), never answers
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            component = new BigDataComponent(config("jdbc:postgresql://127.0.0.1:" + port + "/betaas"));
            assertTrue(component.status().problems().toString(), component.status().problems().stream()
                    .anyMatch(p -> p.contains("127.0.0.1:" + port) && p.contains("is being opened")));
            try {
                component.store(List.of(measurement(1.0)));
                fail("stored into a database that does not answer");
            } catch (BigDataException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("The Big Data database is not available"));
            }
        }
    }

    /** A database down when the gateway starts (it boots faster after a power cut) is used once it is up. */
    @Test(timeout = 30_000)
    public void aDatabaseDownAtActivationIsUsedOnceItIsUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        component = new BigDataComponent(config("jdbc:h2:tcp://127.0.0.1:" + port + "/mem:bigdata-late"));
        assertTrue(component.status().problems().toString(), component.status().problems().stream()
                .anyMatch(p -> p.contains("cannot be used") && p.contains("trying again at every check")));

        Server h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    component.store(List.of(measurement(21.5)));
                    break;
                } catch (BigDataException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100); // the next check opens it (every second here)
                }
            }
            assertEquals(List.of(), component.status().problems());
            List<Measurement> stored = component.measurements("sensor-1", Optional.empty(), Instant.EPOCH,
                    Instant.now().plusSeconds(60), 10);
            assertEquals(1, stored.size());
            assertEquals(21.5, (Double) stored.get(0).value(), 0);
        } finally {
            component.deactivate();
            component = null;
            h2.stop();
        }
    }

    private static Measurement measurement(double value) {
        return new Measurement("sensor-1", "temperature", Instant.now(), "Cel", value);
    }
}
