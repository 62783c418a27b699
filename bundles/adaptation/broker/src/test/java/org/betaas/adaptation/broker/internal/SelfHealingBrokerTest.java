package org.betaas.adaptation.broker.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A Moquette session event loop that dies (as its bugs made them) no longer leaves its clients locked out. */
public class SelfHealingBrokerTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    /** Makes the session event loop that serves {@code clientId} die as a Moquette bug does: a command that throws. */
    private static void killLoopOf(SelfHealingBroker healing, String clientId) throws Exception {
        Object group = MoquetteInternals.field(MoquetteInternals.field(MoquetteInternals.field(
                MoquetteInternals.field(healing, "broker"), "server"), "sessions"), "loopsGroup");
        Method route = group.getClass().getDeclaredMethod("routeCommand", String.class, String.class, Callable.class);
        route.setAccessible(true);
        route.invoke(group, clientId, "a test's failing command", (Callable<String>) () -> {
            throw new IllegalArgumentException("increment : 0 (expected: > 0)");
        });
    }

    private static boolean connects(String url, String clientId) {
        try {
            MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("betaas");
            o.setPassword("s3cret".toCharArray());
            o.setConnectionTimeout(3);
            c.connect(o);
            c.disconnect();
            c.close();
            return true;
        } catch (MqttException e) {
            return false;
        }
    }

    @Test(timeout = 90_000)
    public void theBrokerRestartsWhenASessionLoopDiesAndItsClientsConnectAgain() throws Exception {
        int port = EmbeddedBrokerTest.freePort();
        Path data = tmp.newFolder("broker").toPath();
        String url = "tcp://127.0.0.1:" + port;
        try (SelfHealingBroker broker = new SelfHealingBroker(
                BrokerSettings.parse(EmbeddedBrokerTest.config(port, "s3cret")), data)) {
            assertTrue(connects(url, "victim"));
            killLoopOf(broker, "victim");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(broker.restarts() == 1 && connects(url, "victim"))) {
                assertTrue("the client of the dead loop could not connect again in 60 s (restarts: "
                        + broker.restarts() + ")", System.nanoTime() < deadline);
                Thread.sleep(100);
            }
            assertEquals(1, broker.restarts());
        }
    }
}
