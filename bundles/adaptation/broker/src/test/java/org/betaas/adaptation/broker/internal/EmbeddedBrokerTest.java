package org.betaas.adaptation.broker.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;

public class EmbeddedBrokerTest {

    static BrokerConfiguration config(int port, String password) {
        return new BrokerConfiguration() {
            public Class<? extends Annotation> annotationType() { return BrokerConfiguration.class; }
            public boolean enabled() { return true; }
            public String host() { return "127.0.0.1"; }
            public int port() { return port; }
            public String username() { return "betaas"; }
            public String password() { return password; }
            public boolean allow_anonymous() { return false; }
            public boolean persistence() { return true; }
            public int max_message_bytes() { return 262144; }
        };
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    @Test
    public void authenticatedClientsOnlyAndMessagesFlow() throws Exception {
        int port = freePort();
        Path data = Files.createTempDirectory("broker");
        try (EmbeddedBroker broker = new EmbeddedBroker(BrokerSettings.parse(config(port, "s3cret")), data)) {
            String url = "tcp://127.0.0.1:" + port;
            for (String[] bad : new String[][]{{null, null}, {"betaas", "wrong"}, {"other", "s3cret"}}) {
                MqttClient c = new MqttClient(url, "bad-" + bad[0], new MemoryPersistence());
                try {
                    c.connect(options(bad[0], bad[1]));
                    fail("connected with " + bad[0]);
                } catch (MqttException e) {
                    assertTrue(e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                            || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED);
                } finally {
                    c.close();
                }
            }
            MqttClient sub = new MqttClient(url, "sub", new MemoryPersistence());
            sub.connect(options("betaas", "s3cret"));
            BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
            sub.subscribe("a/+", 1, (topic, m) -> got.add(topic + "=" + new String(m.getPayload(), StandardCharsets.UTF_8)));
            MqttClient pub = new MqttClient(url, "pub", new MemoryPersistence());
            pub.connect(options("betaas", "s3cret"));
            pub.publish("a/b", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("a/b=hello", got.poll(10, TimeUnit.SECONDS));
            assertEquals(2, broker.connectedClients());
            pub.disconnect();
            sub.disconnect();
            pub.close();
            sub.close();
        }
        assertTrue("persistence under the data dir", new File(data.toFile(), ".").list().length > 0);
    }
}
