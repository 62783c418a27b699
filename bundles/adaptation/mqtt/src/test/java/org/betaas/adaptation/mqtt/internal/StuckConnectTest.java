package org.betaas.adaptation.mqtt.internal;

import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

/**
 * A broker that accepts the socket but never answers CONNECT (as one that is shutting down does) left Paho 1.2.5
 * "connecting" for ever, and every later attempt failed with "connect already in progress". The adaptor must drop
 * the stuck attempt and connect as soon as a broker answers on the same address.
 */
public class StuckConnectTest {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;
    private MqttAdaptor adaptor;

    /**
     * A minimal MQTT 3.1.1 listener on 127.0.0.1: the first connection is accepted and never answered; later ones
     * get CONNACK (accepted), SUBACK (QoS 1) and PINGRESP.
     */
    private int fakeBroker() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    if (connections.incrementAndGet() > 1) {
                        Thread t = new Thread(() -> answer(s), "fake-broker-connection");
                        t.setDaemon(true);
                        t.start();
                    } // the first one: silence
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-broker");
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private static void answer(Socket s) {
        try (DataInputStream in = new DataInputStream(s.getInputStream())) {
            OutputStream out = s.getOutputStream();
            while (true) {
                int type = in.readUnsignedByte() >> 4;
                int length = 0;
                int multiplier = 1;
                int b;
                do { // MQTT variable-length "remaining length"
                    b = in.readUnsignedByte();
                    length += (b & 0x7f) * multiplier;
                    multiplier *= 128;
                } while ((b & 0x80) != 0);
                byte[] body = new byte[length];
                in.readFully(body);
                switch (type) {
                    case 1 -> out.write(new byte[]{0x20, 0x02, 0x00, 0x00}); // CONNECT → CONNACK accepted
                    case 8 -> out.write(suback(body)); // SUBSCRIBE → SUBACK, QoS 1 for each filter
                    case 12 -> out.write(new byte[]{(byte) 0xd0, 0x00}); // PINGREQ → PINGRESP
                    default -> { } // DISCONNECT and the rest: nothing to answer
                }
                out.flush();
            }
        } catch (IOException e) {
            // closed by the test or by the client
        }
    }

    /** SUBACK for a SUBSCRIBE body: packet id, then (length, filter, QoS) per filter. */
    private static byte[] suback(byte[] body) {
        int filters = 0;
        for (int i = 2; i + 1 < body.length; filters++) {
            i += 2 + ((body[i] & 0xff) << 8 | (body[i + 1] & 0xff)) + 1;
        }
        byte[] ack = new byte[4 + filters];
        ack[0] = (byte) 0x90;
        ack[1] = (byte) (2 + filters);
        ack[2] = body[0];
        ack[3] = body[1];
        java.util.Arrays.fill(ack, 4, ack.length, (byte) 1);
        return ack;
    }

    @Test
    public void aConnectionAttemptLeftUnansweredIsDroppedAndTheNextOneConnects() throws Exception {
        int port = fakeBroker();
        String url = "tcp://127.0.0.1:" + port;
        adaptor = MqttAdaptor.create(url, "betaas", "secret", "stuck-test", new SenmlIngestTest.FakeRegistry(),
                1000);
        adaptor.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean sawFailure = false;
        // "connected to" is shown once Paho connected and the adaptor subscribed
        while (!adaptor.stats().connection().startsWith("connected to ") && System.nanoTime() < deadline) {
            sawFailure |= adaptor.stats().connection().startsWith("cannot connect to " + url);
            Thread.sleep(20);
        }
        String state = adaptor.stats().connection();
        assertTrue("connected after the unanswered attempt, now: " + state + " (" + connections.get()
                + " connections)", adaptor.connected() && state.startsWith("connected to " + url));
        assertTrue("the first attempt was seen to fail", sawFailure);
        assertTrue("a second connection was opened: " + connections.get(), connections.get() >= 2);
    }

    @After
    public void stop() throws Exception {
        if (adaptor != null) {
            adaptor.close();
        }
        if (server != null) {
            server.close();
        }
        for (Socket s : sockets) {
            s.close();
        }
        if (acceptor != null) {
            acceptor.join(2000);
        }
    }
}
