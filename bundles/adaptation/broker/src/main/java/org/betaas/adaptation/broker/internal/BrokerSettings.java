package org.betaas.adaptation.broker.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The broker configuration, checked once, and the Moquette properties made from it. */
record BrokerSettings(boolean enabled, String host, int port, String username, byte[] password,
                      boolean allowAnonymous, boolean persistence, int maxMessageBytes, List<String> problems) {

    static final String FILE = "etc/org.betaas.broker.cfg";
    static final String SHIPPED_PASSWORD = "betaas";

    static BrokerSettings parse(BrokerConfiguration c) {
        List<String> problems = new ArrayList<>();
        String host = c.host().trim();
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_-]+")) {
            problems.add("host in " + FILE + " is '" + host + "': use an address such as 127.0.0.1 (using"
                    + " 127.0.0.1 meanwhile)");
            host = "127.0.0.1";
        }
        int port = c.port();
        if (port < 1 || port > 65535) {
            problems.add("port in " + FILE + " is " + port + ": use 1-65535 (using 1883 meanwhile)");
            port = 1883;
        }
        String user = c.username().trim();
        if (!c.allow_anonymous() && (user.isEmpty() || c.password().isEmpty())) {
            problems.add("username/password in " + FILE + " are empty and allow.anonymous is false: no client can"
                    + " connect until both are set");
        }
        int max = c.max_message_bytes();
        if (max < 1024 || max > 256 << 20) {
            problems.add("max.message.bytes in " + FILE + " is " + max + ": use 1024-268435456 (using 262144)");
            max = 262144;
        }
        return new BrokerSettings(c.enabled(), host, port, user,
                c.password().getBytes(java.nio.charset.StandardCharsets.UTF_8), c.allow_anonymous(),
                c.persistence(), max, problems);
    }

    boolean shippedPassword() {
        return new String(password, java.nio.charset.StandardCharsets.UTF_8).equals(SHIPPED_PASSWORD);
    }

    Properties moquette(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", Boolean.toString(allowAnonymous));
        // MQTT 3.1.1 lets clean-session clients send an empty id (mosquitto_pub does): the broker assigns one
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", Boolean.toString(persistence));
        p.setProperty("data_path", dataDir.toAbsolutePath().toString());
        // Moquette 0.17's default "segmented" queues, with EmbeddedBroker's mends of their restart. Its "h2" queues
        // failed in a full test run on an already released buffer (IllegalReferenceCountException, "Map
        // queue_<client> is closed") and left a session event loop wedged for good (see docs/architecture.md).
        p.setProperty("persistent_queue_type", "segmented");
        // Moquette commits its session store (sessions, subscriptions, retained messages) every 30 s by default: a
        // persistent session younger than that was unknown after a crash, and what was published for it before its
        // client reconnected went nowhere. A commit with nothing changed writes nothing.
        p.setProperty("autosave_interval", "1");
        p.setProperty("netty.mqtt.message_size", Integer.toString(maxMessageBytes));
        p.setProperty("netty.epoll", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        // Moquette otherwise reports usage data to its authors over the network
        p.setProperty("telemetry_enabled", "false");
        return p;
    }

    @Override
    public String toString() {
        return "broker on " + host + ":" + port + (allowAnonymous ? ", anonymous allowed" : ", user " + username)
                + (persistence ? ", persistent" : ", in memory");
    }
}
