package org.betaas.adaptation.mqtt.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.betaas.adaptation.mqtt.internal.senml.SenmlDecoder;
import org.betaas.api.things.AdaptorStats;
import org.betaas.api.things.ThingRegistry;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT side of the adaptor on Eclipse Paho: connects (persistent session, fixed client id), subscribes,
 * hands every message to the {@link IngestStage} (its workers run {@link SenmlIngest}; Paho's single callback
 * thread only queues), acknowledges a message by hand once the registry has it (so QoS 1 loses no accepted
 * measurement), and reconnects with exponential backoff when the broker goes away.
 */
public final class MqttAdaptor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAdaptor.class);

    private final MqttSettings settings;
    private final SenmlIngest ingest;
    private final AdaptorCounters counters = new AdaptorCounters();
    private final ScheduledExecutorService reconnector;
    private final MqttAsyncClient client;
    private final IngestStage stage;
    private volatile String state = "not connected yet";
    private volatile boolean closed;
    private long delayMillis = 500;
    /**
     * Until the first connection, failures within this long after start log at INFO: the embedded broker starts
     * alongside the adaptor, and a WARN at every boot would only be noise. Refused credentials WARN at once.
     */
    private static final long START_GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private final long startedAt = System.nanoTime();
    private volatile boolean connectedOnce;
    /** How long one connection attempt may wait for the broker's CONNACK before it is dropped. */
    private final long connectWaitMillis;

    MqttAdaptor(MqttSettings settings, ThingRegistry registry, String gatewayId) throws MqttException {
        this(settings, registry, gatewayId, 15_000);
    }

    MqttAdaptor(MqttSettings settings, ThingRegistry registry, String gatewayId, long connectWaitMillis)
            throws MqttException {
        this.settings = settings;
        this.connectWaitMillis = connectWaitMillis;
        this.ingest = new SenmlIngest(registry, new SenmlDecoder(settings.maxPayload()),
                new TopicFilters(settings.topics()), gatewayId, settings.actuatorIds(), Clock.systemUTC(), counters,
                new RejectLog(TimeUnit.SECONDS.toNanos(10), System::nanoTime));
        this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        // acks by hand: a message is acknowledged once the stage's worker has reported it to the registry
        client.setManualAcks(true);
        this.stage = new IngestStage("betaas-mqtt-ingest", settings.ingestWorkers(), settings.ingestQueue(), 10_000,
                ingest::accept, client::messageArrivedComplete);
        this.reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-mqtt-reconnect");
            t.setDaemon(true);
            return t;
        });
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                onConnected();
            }

            @Override
            public void connectionLost(Throwable cause) {
                // acks of what arrived on the lost connection are not sent on the next one: the broker resends
                stage.newConnection();
                state = "connection to " + settings.brokerUrl() + " lost (" + cause + "), reconnecting";
                LOG.warn("MQTT: connection to {} lost ({}); reconnecting", settings.brokerUrl(), String.valueOf(cause));
                scheduleConnect();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    // blocks while the stage is full (Paho then stops reading): nothing is dropped
                    stage.submit(topic, message.getPayload(), message.getId(), message.getQos());
                } catch (RuntimeException e) {
                    // never into Paho's thread: it would drop the connection; unacknowledged, the broker resends
                    LOG.warn("MQTT: message on {} not queued", topic, e);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // commands are fire-and-forget at QoS 1: Paho retries them
            }
        });
    }

    /**
     * An adaptor with default settings for {@code brokerUrl} (QoS 1, persistent session, topic
     * {@code betaas/things/+/senml}), for harnesses outside OSGi such as the benchmarks.
     */
    public static MqttAdaptor create(String brokerUrl, String username, String password, String clientId,
                                     ThingRegistry registry) throws MqttException {
        return create(brokerUrl, username, password, clientId, registry, 15_000, 0);
    }

    /**
     * The same with {@code ingestWorkers} workers in the ingest stage (0: the default). Not an overload of
     * {@code create}: an int literal would pick it instead of the package-private one taking connectWaitMillis.
     */
    public static MqttAdaptor createWithIngestWorkers(String brokerUrl, String username, String password,
                                                      String clientId, ThingRegistry registry, int ingestWorkers)
            throws MqttException {
        return create(brokerUrl, username, password, clientId, registry, 15_000, ingestWorkers);
    }

    static MqttAdaptor create(String brokerUrl, String username, String password, String clientId,
                              ThingRegistry registry, long connectWaitMillis) throws MqttException {
        return create(brokerUrl, username, password, clientId, registry, connectWaitMillis, 0);
    }

    private static MqttAdaptor create(String brokerUrl, String username, String password, String clientId,
                                      ThingRegistry registry, long connectWaitMillis, int ingestWorkers)
            throws MqttException {
        MqttConfiguration defaults = (MqttConfiguration) java.lang.reflect.Proxy.newProxyInstance(
                MqttConfiguration.class.getClassLoader(), new Class<?>[]{MqttConfiguration.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "broker_url" -> brokerUrl;
                    case "username" -> username;
                    case "password" -> password;
                    case "client_id" -> clientId;
                    case "ingest_workers" -> ingestWorkers > 0 ? ingestWorkers : method.getDefaultValue();
                    default -> method.getDefaultValue();
                });
        return new MqttAdaptor(MqttSettings.parse(defaults, "bench"), registry, "bench", connectWaitMillis);
    }

    /** Starts connecting in the background; never blocks the caller. */
    public void start() {
        state = "connecting to " + settings.brokerUrl();
        reconnector.execute(this::connect);
    }

    private MqttConnectOptions options() throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(settings.cleanSession());
        o.setAutomaticReconnect(false); // our own backoff also covers the first connection
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(1000);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (!settings.username().isEmpty()) {
            o.setUserName(settings.username());
            o.setPassword(settings.password());
        }
        if (settings.brokerUrl().startsWith("ssl://")) {
            o.setSocketFactory(sslContext().getSocketFactory());
        }
        return o;
    }

    private SSLContext sslContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        if (settings.truststore().isEmpty()) {
            context.init(null, null, null);
            return context;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(settings.truststore()))) {
            store.load(in, settings.truststorePassword().length == 0 ? null : settings.truststorePassword());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private void connect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(options()).waitForCompletion(connectWaitMillis);
        } catch (MqttException e) {
            boolean refused = e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                    || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED;
            String why = refused
                    ? "the broker refused the credentials: check username/password in " + MqttSettings.FILE
                    : e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
            state = "cannot connect to " + settings.brokerUrl() + ": " + why + "; retrying in "
                    + delayMillis / 1000.0 + " s";
            boolean starting = !refused && !connectedOnce && System.nanoTime() - startedAt < START_GRACE_NANOS;
            if (starting) {
                LOG.info("MQTT: broker not up yet: {}", state);
            } else {
                LOG.warn("MQTT: {}", state);
            }
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT
                    || e.getReasonCode() == MqttException.REASON_CODE_CONNECT_IN_PROGRESS) {
                abandonAttempt();
            }
            scheduleConnect();
        } catch (Exception e) {
            state = "cannot connect to " + settings.brokerUrl() + ": " + e;
            LOG.error("MQTT: {} (check the TLS settings in {})", state, MqttSettings.FILE);
            scheduleConnect();
        }
    }

    /**
     * Paho 1.2.5 stays "connecting" for ever when a broker accepted the socket but never answered the CONNECT (as
     * one that is shutting down does); every later attempt would then fail with "connect already in progress".
     * Dropping the stuck attempt lets the next one start afresh.
     */
    private void abandonAttempt() {
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException e) {
            LOG.debug("MQTT: dropping the stuck connection attempt: {}", e.getMessage());
        }
    }

    private synchronized void scheduleConnect() {
        if (closed) {
            return;
        }
        long delay = delayMillis;
        delayMillis = Math.min(delayMillis * 2, settings.reconnectMaxDelay() * 1000L);
        try {
            reconnector.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.debug("reconnect not scheduled (closing)", e);
        }
    }

    private void onConnected() {
        connectedOnce = true;
        synchronized (this) {
            delayMillis = 500;
        }
        String[] filters = settings.topics().toArray(new String[0]);
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, settings.qos());
        try {
            client.subscribe(filters, qos);
            state = "connected to " + settings.brokerUrl() + " as " + settings.clientId() + ", subscribed to "
                    + String.join(", ", filters);
            LOG.info("MQTT: {}", state);
        } catch (MqttException e) {
            state = "connected to " + settings.brokerUrl() + " but cannot subscribe: " + e.getMessage();
            LOG.error("MQTT: {}", state);
        }
    }

    public AdaptorStats stats() {
        return counters.snapshot(SenmlIngest.PROTOCOL, state + "; ingest queue " + stage.inFlight() + "/"
                + settings.ingestQueue());
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** Publishes an actuator command (QoS of the configuration). */
    public void actuate(String thingId, String command) {
        if (!client.isConnected()) {
            throw new IllegalStateException("not connected to the MQTT broker (" + state + ")");
        }
        String topic = settings.commandTopic().replace("{id}", thingId);
        try {
            client.publish(topic, SenmlIngest.command(thingId, command), settings.qos(), false);
        } catch (MqttException e) {
            throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        reconnector.shutdownNow();
        // drain first, while still connected: what is queued reaches the registry and is acknowledged
        stage.close(10_000);
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.debug("disconnect", e);
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("close", e);
        }
    }
}
