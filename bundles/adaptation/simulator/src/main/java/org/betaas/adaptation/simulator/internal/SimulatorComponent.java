package org.betaas.adaptation.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Simulated things, configured by PID {@code org.betaas.simulator}: each sensor publishes one reading per interval. */
@Component(configurationPid = "org.betaas.simulator", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = SimulatorComponent.class, immediate = true,
        property = "service.description=BETaaS simulated things")
@Designate(ocd = SimulatorConfiguration.class)
public final class SimulatorComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);
    private static final String FILE = "etc/org.betaas.simulator.cfg";

    private final ScheduledExecutorService scheduler;
    private final MqttAsyncClient client;
    private final AtomicLong published = new AtomicLong();

    @Activate
    public SimulatorComponent(SimulatorConfiguration config) {
        if (!config.enabled()) {
            LOG.info("Simulated things disabled (enabled=false in {})", FILE);
            scheduler = null;
            client = null;
            return;
        }
        Map<String, Trace> sensors = new LinkedHashMap<>();
        for (String pair : config.sensors().split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || !kv[0].trim().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                if (!pair.isBlank()) {
                    LOG.error("Simulator configuration: sensors entry '{}' in {} is not id=trace (ignored)", pair, FILE);
                }
                continue;
            }
            try {
                sensors.put(kv[0].trim(), Trace.load(kv[1].trim()));
            } catch (Exception e) {
                LOG.error("Simulator configuration: sensor {} in {}: {} (ignored)", kv[0].trim(), FILE, e.getMessage());
            }
        }
        long interval = config.interval_ms();
        if (interval < 10) {
            LOG.error("Simulator configuration: interval.ms in {} is {}: use at least 10 (using 2000)", FILE, interval);
            interval = 2000;
        }
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(config.broker_url(), "betaas-simulator-" + ThreadLocalRandom.current().nextInt(1 << 20),
                    new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            LOG.error("Simulator configuration: broker.url '{}' in {}: {}", config.broker_url(), FILE, e.getMessage());
        }
        client = c;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-simulator");
            t.setDaemon(true);
            return t;
        });
        if (client == null || sensors.isEmpty()) {
            return;
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(true);
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (!config.username().isBlank()) {
            options.setUserName(config.username().trim());
            options.setPassword(config.password().toCharArray());
        }
        AtomicLong step = new AtomicLong(ThreadLocalRandom.current().nextInt(1000));
        String topic = config.topic();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (!client.isConnected()) {
                    connect(options);
                    return;
                }
                long s = step.getAndIncrement();
                for (Map.Entry<String, Trace> e : sensors.entrySet()) {
                    client.publish(topic.replace("{id}", e.getKey()),
                            Trace.senml(e.getKey(), e.getValue().at(s)).getBytes(StandardCharsets.UTF_8), 1, false);
                    published.incrementAndGet();
                }
            } catch (MqttException | RuntimeException e) {
                LOG.debug("simulator publish", e);
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
        LOG.info("Simulated things {} publishing every {} ms to {}", sensors.keySet(), interval, config.broker_url());
    }

    /**
     * At most one WARN a minute; none in the first 15 s, while the embedded broker this gateway runs may still be
     * starting (a WARN at every boot would only be noise).
     */
    private long lastWarning = System.nanoTime() - TimeUnit.MINUTES.toNanos(1) + TimeUnit.SECONDS.toNanos(15);

    private void connect(MqttConnectOptions options) {
        try {
            client.connect(options).waitForCompletion(10_000);
            LOG.info("Simulator connected to {}", client.getServerURI());
        } catch (MqttException e) {
            long now = System.nanoTime();
            if (now - lastWarning > TimeUnit.MINUTES.toNanos(1)) {
                lastWarning = now;
                LOG.warn("Simulator cannot connect to {}: {} (retrying; check {})", client.getServerURI(),
                        e.getMessage(), FILE);
            }
        }
    }

    @Deactivate
    private void deactivate() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect(1000).waitForCompletion(2000);
                }
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("simulator close", e);
            }
        }
    }
}
