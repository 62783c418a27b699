package org.betaas.adaptation.mqtt.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The MQTT adaptor configuration, checked once; wrong values become defaults plus a problem message. */
record MqttSettings(boolean enabled, String brokerUrl, List<String> topics, String commandTopic, String username,
                    char[] password, String clientId, int qos, boolean cleanSession, int reconnectMaxDelay,
                    String truststore, char[] truststorePassword, int maxPayload, Pattern actuatorIds,
                    int ingestWorkers, int ingestQueue, List<String> problems) {

    static final String FILE = "etc/org.betaas.mqtt.cfg";

    static MqttSettings parse(MqttConfiguration c, String gatewayId) {
        List<String> problems = new ArrayList<>();
        String url = c.broker_url().trim();
        if (!url.matches("(tcp|ssl)://[^\\s/]+:\\d{1,5}")) {
            problems.add("broker.url in " + FILE + " is '" + url + "': use tcp://host:port or ssl://host:port"
                    + " (using tcp://127.0.0.1:1883 meanwhile)");
            url = "tcp://127.0.0.1:1883";
        }
        List<String> topics = new ArrayList<>();
        for (String t : c.topics().split(",")) {
            String topic = t.trim();
            if (topic.isEmpty()) {
                continue;
            }
            if (TopicFilters.valid(topic)) {
                topics.add(topic);
            } else {
                problems.add("topics in " + FILE + ": '" + topic + "' is not an MQTT topic filter (ignored)");
            }
        }
        if (topics.isEmpty()) {
            problems.add("topics in " + FILE + " has no valid filter (using betaas/things/+/senml)");
            topics.add("betaas/things/+/senml");
        }
        String command = c.command_topic().trim();
        if (!command.contains("{id}") || command.contains("+") || command.contains("#")) {
            problems.add("command.topic in " + FILE + " is '" + command + "': it needs {id} and no wildcard"
                    + " (using betaas/things/{id}/cmd)");
            command = "betaas/things/{id}/cmd";
        }
        int qos = c.qos();
        if (qos < 0 || qos > 2) {
            problems.add("qos in " + FILE + " is " + qos + ": use 0, 1 or 2 (using 1)");
            qos = 1;
        }
        int delay = c.reconnect_max_delay_s();
        if (delay < 1 || delay > 3600) {
            problems.add("reconnect.max.delay.s in " + FILE + " is " + delay + ": use 1-3600 (using 30)");
            delay = 30;
        }
        int maxPayload = c.max_payload_bytes();
        if (maxPayload < 64 || maxPayload > 16 << 20) {
            problems.add("max.payload.bytes in " + FILE + " is " + maxPayload + ": use 64-16777216 (using 65536)");
            maxPayload = 65536;
        }
        int workers = c.ingest_workers();
        if (workers < 1 || workers > 64) {
            problems.add("ingest.workers in " + FILE + " is " + workers + ": use 1-64 (using 2)");
            workers = 2;
        }
        int queue = c.ingest_queue();
        if (queue < workers || queue > 1_000_000) {
            problems.add("ingest.queue in " + FILE + " is " + queue + ": use " + workers + "-1000000 (using "
                    + Math.max(1000, workers) + ")");
            queue = Math.max(1000, workers);
        }
        Pattern actuators;
        try {
            actuators = Pattern.compile(c.actuator_ids());
        } catch (PatternSyntaxException e) {
            problems.add("actuator.ids in " + FILE + " is not a regular expression (" + e.getDescription()
                    + "): no thing is an actuator meanwhile");
            actuators = Pattern.compile("(?!)");
        }
        String clientId = c.client_id().trim();
        if (clientId.isEmpty()) {
            clientId = "betaas-" + gatewayId;
        }
        if (clientId.length() > 23) {
            // MQTT 3.1.1 brokers must accept 1-23 characters; longer ids work on most but not all
            problems.add("client id '" + clientId + "' is longer than 23 characters: some brokers refuse it");
        }
        return new MqttSettings(c.enabled(), url, List.copyOf(topics), command, c.username().trim(),
                c.password().toCharArray(), clientId, qos, c.clean_session(), delay, c.tls_truststore().trim(),
                c.tls_truststore_password().toCharArray(), maxPayload, actuators, workers, queue, problems);
    }

    /** Never shows the passwords. */
    @Override
    public String toString() {
        return "MqttSettings[" + brokerUrl + ", topics=" + topics + ", user=" + (username.isEmpty() ? "none" : username)
                + ", clientId=" + clientId + ", qos=" + qos + ", ingest=" + ingestWorkers + "x" + ingestQueue + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttSettings s && toString().equals(s.toString())
                && Arrays.equals(password, s.password) && cleanSession == s.cleanSession;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
