package org.betaas.service.instance.internal.bus;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.InstanceInfo.MembershipState;
import org.betaas.api.instance.PeerGateway;
import org.betaas.service.instance.internal.bus.MessageVerifier.Verdict;
import org.betaas.service.instance.internal.peers.PeerView;
import org.betaas.service.instance.internal.peers.Transition;
import org.betaas.service.instance.internal.peers.TrustModel;
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
 * One membership session of this gateway in its instance over Eclipse Paho: connects with a signed last will,
 * publishes its retained status on change and periodically, keeps the live {@link PeerView}, serves peers'
 * requests and sends its own with correlation ids and timeouts. Never logs the key or the broker password.
 */
public final class BusSession implements MqttCallbackExtended {

    private static final Logger LOG = LoggerFactory.getLogger(BusSession.class);
    private static final int QOS = 1;

    /** What a session is configured with. */
    public record Options(String brokerUrl, String brokerUser, String brokerPassword, InstanceKey key,
                          Duration keepAlive, Duration statusPeriod, Duration replayWindow, Duration requestTimeout,
                          Duration trustWindow, double trustThreshold, BrokerTls tls) {

        /** Without TLS files of its own (plain tcp://, or ssl:// with the JVM's javax.net.ssl defaults). */
        public Options(String brokerUrl, String brokerUser, String brokerPassword, InstanceKey key,
                       Duration keepAlive, Duration statusPeriod, Duration replayWindow, Duration requestTimeout,
                       Duration trustWindow, double trustThreshold) {
            this(brokerUrl, brokerUser, brokerPassword, key, keepAlive, statusPeriod, replayWindow, requestTimeout,
                    trustWindow, trustThreshold, BrokerTls.DEFAULT);
        }
    }

    private final String instance;
    private final String gatewayId;
    private final Options options;
    private final LocalSide local;
    private final Clock clock;
    private final Consumer<String> onDismissedSelf;
    private final String session = UUID.randomUUID().toString();
    private final Topics topics;
    private final InstanceCodec codec = new InstanceCodec();
    private final MessageSigner signer;
    private final MessageVerifier verifier;
    private final PeerView view;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService inbound;
    private final ExecutorService workers;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger networkErrors = new AtomicInteger();
    /** Recent re-placements, newest last, published in the status. */
    private final ConcurrentLinkedDeque<GatewayStatus.Replacement> replaced = new ConcurrentLinkedDeque<>();
    /** Re-placed VMs of this gateway whose stale copy is settled, and those being settled now. */
    private final Set<String> reconciled = ConcurrentHashMap.newKeySet();
    private final Set<String> reconciling = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong staleSessions = new AtomicLong();
    private volatile MqttAsyncClient client;
    private volatile MembershipState state = MembershipState.CONNECTING;
    private volatile String detail = "connecting";
    private volatile String lastChangeKey = "";
    private volatile GatewayStatus lastStatus;
    private volatile boolean closed;

    private record Pending(String peer, String op, CompletableFuture<PeerReply> reply) {
    }

    /**
     * @param onDismissedSelf called (with the reason) when a member dismisses this gateway
     */
    public BusSession(String instance, String gatewayId, Options options, LocalSide local, Clock clock,
                      Consumer<String> onDismissedSelf) {
        this.instance = instance;
        this.gatewayId = gatewayId;
        this.options = options;
        this.local = local;
        this.clock = clock;
        this.onDismissedSelf = onDismissedSelf;
        this.topics = new Topics(instance);
        this.signer = new MessageSigner(instance, gatewayId, options.key(), clock);
        this.verifier = new MessageVerifier(instance, options.key(), options.replayWindow(), 100_000, clock);
        this.view = new PeerView(gatewayId, options.keepAlive(), options.statusPeriod(), options.trustWindow(),
                new TrustModel());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "betaas-instance-timer"));
        this.inbound = Executors.newSingleThreadExecutor(r -> thread(r, "betaas-instance-inbound"));
        this.workers = Executors.newFixedThreadPool(2, r -> thread(r, "betaas-instance-requests"));
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts connecting (retried until {@link #close()}); returns at once. */
    public void start() {
        scheduler.execute(this::connect);
        scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(() -> publishStatus(true), options.statusPeriod().toMillis(),
                options.statusPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            MqttAsyncClient c = new MqttAsyncClient(options.brokerUrl(), "betaas-" + instance + "-" + gatewayId,
                    new MemoryPersistence());
            c.setCallback(this);
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(5_000);
            o.setConnectionTimeout(5);
            o.setKeepAliveInterval((int) Math.max(1, options.keepAlive().toSeconds() * 2 / 3));
            o.setMaxInflight(100);
            if (!options.brokerUser().isEmpty()) {
                o.setUserName(options.brokerUser());
                o.setPassword(options.brokerPassword().toCharArray());
            }
            if (options.brokerUrl().startsWith("ssl:") && options.tls() != null && !options.tls().isDefault()) {
                try {
                    o.setSocketFactory(options.tls().socketFactory());
                } catch (java.io.IOException e) {
                    client = c; // closed by failedToConnect
                    throw new MqttException(MqttException.REASON_CODE_SSL_CONFIG_ERROR, e);
                }
            }
            Envelope will = signer.sign(Envelope.OFFLINE, codec.write(new OfflineNotice(gatewayId, session)));
            o.setWill(topics.status(gatewayId), codec.envelope(will), QOS, true);
            client = c;
            c.connect(o).waitForCompletion(10_000);
        } catch (MqttException e) {
            failedToConnect(e);
        }
    }

    private void failedToConnect(MqttException e) {
        MqttAsyncClient c = client;
        client = null;
        if (c != null) {
            try {
                c.close(true);
            } catch (MqttException ignored) {
                // closing a client that never connected
            }
        }
        if (closed) {
            return;
        }
        boolean tls = options.brokerUrl().startsWith("ssl:")
                && e.getReasonCode() != MqttException.REASON_CODE_SSL_CONFIG_ERROR
                && e.getReasonCode() != MqttException.REASON_CODE_FAILED_AUTHENTICATION
                && e.getReasonCode() != MqttException.REASON_CODE_NOT_AUTHORIZED;
        detail = "not joined: broker " + options.brokerUrl() + " " + reason(e)
                + (tls ? " (over TLS the broker may have refused this gateway's client certificate: check"
                   + " broker.keyStore and broker.trustStore)" : "") + "; retrying every 5 s";
        // the detail first: whoever sees the new state reads the detail that goes with it
        state = MembershipState.UNREACHABLE;
        LOG.warn("Instance '{}': {}", instance, detail);
        scheduler.schedule(this::connect, 5, TimeUnit.SECONDS);
    }

    static String reason(MqttException e) {
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED ->
                    "refused this gateway's user or password: check broker.user/broker.password";
            case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "cannot be reached: check broker.url and that"
                    + " the broker runs";
            case MqttException.REASON_CODE_SSL_CONFIG_ERROR -> "cannot be used over TLS: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            default -> "failed: " + e.getMessage();
        };
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        MqttAsyncClient c = client;
        if (c == null || closed) {
            return;
        }
        try {
            c.subscribe(new String[] {topics.allStatuses(), topics.allDismissed(), topics.requests(gatewayId),
                topics.replies(gatewayId)}, new int[] {QOS, QOS, QOS, QOS});
        } catch (MqttException e) {
            LOG.warn("Instance '{}': cannot subscribe: {}", instance, e.getMessage());
        }
        detail = "joined through " + serverURI;
        state = MembershipState.JOINED;
        LOG.info("Gateway '{}' {} instance '{}' through {}", gatewayId, reconnect ? "rejoined" : "joined", instance,
                serverURI);
        scheduler.execute(() -> publishStatus(true));
    }

    @Override
    public void connectionLost(Throwable cause) {
        networkErrors.incrementAndGet();
        if (closed) {
            return;
        }
        detail = "not joined: connection to " + options.brokerUrl() + " lost (" + cause.getMessage()
                + "); reconnecting";
        state = MembershipState.UNREACHABLE;
        LOG.warn("Instance '{}': {}", instance, detail);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        byte[] payload = message.getPayload();
        inbound.execute(() -> {
            try {
                handle(topic, payload);
            } catch (RuntimeException e) {
                LOG.warn("Instance '{}': message on {} could not be handled: {}", instance, topic, e.toString());
            }
        });
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // QoS 1 acknowledgements need no action
    }

    void handle(String topic, byte[] payload) {
        String owner = topics.gatewayOf(topic);
        if (owner == null || payload.length == 0) {
            return;
        }
        boolean dismissTopic = topic.equals(topics.dismissed(owner));
        if (!dismissTopic && owner.equals(gatewayId) && topic.equals(topics.status(gatewayId))) {
            return; // our own status echoed back
        }
        Envelope e;
        try {
            e = codec.envelope(payload);
        } catch (IllegalArgumentException ex) {
            verifier.malformed(ex.getMessage());
            return;
        }
        if (dismissTopic) {
            if (accepted(verifier.verify(e, null, false), topic) && Envelope.DISMISS.equals(e.type())) {
                Dismissal d = codec.dismissal(e.payload());
                if (Objects.equals(d.gatewayId(), owner)) {
                    applyDismissal(d, e.from());
                }
            }
        } else if (topic.equals(topics.status(owner))) {
            handleStatusTopic(owner, e);
        } else if (topic.equals(topics.requests(gatewayId)) && Envelope.REQUEST.equals(e.type())) {
            if (accepted(verifier.verify(e, null, true), topic)) {
                PeerRequest r = codec.request(e.payload());
                workers.execute(() -> serve(r, e.from()));
            }
        } else if (topic.equals(topics.replies(gatewayId)) && Envelope.REPLY.equals(e.type())) {
            if (accepted(verifier.verify(e, null, true), topic)) {
                PeerReply r = codec.reply(e.payload());
                Pending p = pending.get(r.correlationId());
                if (p != null && p.peer().equals(e.from())) {
                    p.reply().complete(r);
                }
            }
        }
    }

    private void handleStatusTopic(String owner, Envelope e) {
        long now = clock.millis();
        if (Envelope.OFFLINE.equals(e.type())) {
            if (!accepted(verifier.verify(e, owner, false), "status of " + owner)) {
                return;
            }
            OfflineNotice n;
            try {
                n = codec.offline(e.payload());
            } catch (IllegalArgumentException ex) {
                verifier.malformed(ex.getMessage());
                return;
            }
            switch (view.onOffline(owner, n.session(), true, now)) {
                case WENT_OFFLINE -> wentOffline(owner, "its connection was lost (last will)", true);
                case STALE_SESSION -> staleSessions.incrementAndGet();
                default -> { }
            }
        } else if (Envelope.STATUS.equals(e.type())) {
            if (!accepted(verifier.verify(e, owner, true), "status of " + owner)) {
                return;
            }
            GatewayStatus s = codec.status(e.payload());
            if (!owner.equals(s.gatewayId())) {
                verifier.malformed("status of " + s.gatewayId() + " on the topic of " + owner);
                return;
            }
            view.onStatus(s, now).ifPresent(t -> {
                if (t.online()) {
                    LOG.info("Instance '{}': gateway '{}' is online", instance, owner);
                } else {
                    wentOffline(owner, t.reason(), false);
                }
            });
            for (GatewayStatus.Replacement r : s.replaced()) {
                if (r.fromGateway().equals(gatewayId) && !reconciled.contains(r.vmId())
                        && reconciling.add(r.vmId())) {
                    workers.execute(() -> {
                        try {
                            if (local.reconcile(r)) {
                                reconciled.add(r.vmId());
                            }
                        } finally {
                            reconciling.remove(r.vmId());
                        }
                    });
                }
            }
        }
    }

    private boolean accepted(Verdict v, String where) {
        if (v instanceof Verdict.Rejected r) {
            LOG.debug("Instance '{}': dropped a message on {}: {} ({})", instance, where, r.reason(), r.detail());
            return false;
        }
        return true;
    }

    private void wentOffline(String peer, String reason, boolean failed) {
        LOG.warn("Instance '{}': gateway '{}' is offline: {}", instance, peer, reason);
        if (failed) {
            replaceVmsOf(peer);
        }
        for (Pending p : pending.values()) {
            if (p.peer().equals(peer)) {
                p.reply().complete(new PeerReply(null, false, "gateway '" + peer + "' went offline during the "
                        + p.op() + " request (" + reason + ")", null, null));
            }
        }
    }

    /**
     * Re-places the VMs a failed peer reported, if this gateway coordinates: the online member with the lowest
     * id, so that exactly one member acts (the others see the same view within a status period).
     */
    private void replaceVmsOf(String failed) {
        long now = clock.millis();
        List<PeerGateway> peers = view.peers(now);
        GatewayStatus last = null;
        String coordinator = gatewayId;
        for (PeerGateway p : peers) {
            if (p.gatewayId().equals(failed)) {
                last = p.status();
            } else if (p.online() && !p.dismissed() && p.gatewayId().compareTo(coordinator) < 0) {
                coordinator = p.gatewayId();
            }
        }
        if (last == null || last.vms().isEmpty() || state != MembershipState.JOINED) {
            return;
        }
        if (!coordinator.equals(gatewayId)) {
            LOG.info("Instance '{}': '{}' re-places the {} VM(s) of '{}'", instance, coordinator, last.vms().size(),
                    failed);
            return;
        }
        List<GatewayStatus.VmSummary> vms = last.vms();
        workers.execute(() -> {
            for (GatewayStatus.VmSummary vm : vms) {
                if (closed || view.isOnline(failed)) {
                    return; // it came back: its VMs are its own again
                }
                boolean done = replaced.stream().anyMatch(r -> r.fromGateway().equals(failed)
                        && r.vmId().equals(vm.id()));
                if (done) {
                    continue;
                }
                local.replace(vm, failed).ifPresent(r -> {
                    replaced.addLast(r);
                    while (replaced.size() > 50) {
                        replaced.pollFirst();
                    }
                    LOG.info("Instance '{}': VM {} ({}) of failed gateway '{}' re-placed on {} as {}", instance,
                            vm.id(), vm.template(), failed, r.location(), r.newVmId());
                });
            }
            scheduler.execute(() -> publishStatus(true));
        });
    }

    /** Recent re-placements done by this gateway. */
    public List<GatewayStatus.Replacement> replacements() {
        return List.copyOf(replaced);
    }

    private void applyDismissal(Dismissal d, String by) {
        if (d.gatewayId().equals(gatewayId)) {
            LOG.warn("Gateway '{}' was dismissed from instance '{}' by '{}': {}", gatewayId, instance, by, d.reason());
            detail = "dismissed by '" + by + "': " + d.reason() + "; the instance drops this gateway's messages";
            state = MembershipState.DISMISSED;
            onDismissedSelf.accept(detail);
            return;
        }
        if (!verifier.isDismissed(d.gatewayId())) {
            LOG.warn("Instance '{}': gateway '{}' dismissed by '{}': {}", instance, d.gatewayId(), by, d.reason());
        }
        verifier.dismiss(d.gatewayId());
        view.dismiss(d.gatewayId());
    }

    private void tick() {
        try {
            long now = clock.millis();
            for (Transition t : view.tick(now)) {
                wentOffline(t.gatewayId(), t.reason(), true);
            }
            if (options.trustThreshold() > 0 && state == MembershipState.JOINED) {
                for (PeerGateway p : view.peers(now)) {
                    if (p.online() && !p.dismissed() && p.trust() < options.trustThreshold()) {
                        dismiss(p.gatewayId(), String.format(java.util.Locale.ROOT,
                                "trust %.2f below the threshold %.2f", p.trust(), options.trustThreshold()));
                    }
                }
            }
            publishStatus(false);
        } catch (RuntimeException e) {
            LOG.warn("Instance '{}': periodic check failed: {}", instance, e.toString());
        }
    }

    /** Publishes this gateway's status when forced (period) or when what peers plan with changed. */
    private void publishStatus(boolean force) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected() || closed || state == MembershipState.DISMISSED) {
            return;
        }
        GatewayStatus s = local.status(session, view.opinions(clock.millis()), List.copyOf(replaced), networkErrors.get());
        lastStatus = s;
        String changeKey = s.vms() + "|" + s.capabilities() + "|" + s.cloudAccess() + "|" + s.replaced();
        if (!force && changeKey.equals(lastChangeKey)) {
            return;
        }
        lastChangeKey = changeKey;
        publish(topics.status(gatewayId), Envelope.STATUS, codec.write(s), true);
    }

    private void publish(String topic, String type, String payload, boolean retained) {
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            c.publish(topic, codec.envelope(signer.sign(type, payload)), QOS, retained);
            published.incrementAndGet();
        } catch (MqttException e) {
            LOG.debug("Instance '{}': cannot publish on {}: {}", instance, topic, e.getMessage());
        }
    }

    private void serve(PeerRequest r, String from) {
        PeerReply reply = local.serve(r, from);
        if (r.replyTo() != null && r.replyTo().equals(topics.replies(from))) {
            publish(r.replyTo(), Envelope.REPLY, codec.write(reply), false);
        }
    }

    /** Sends a request to a peer and waits for its reply; the reply says ok or why not. */
    public PeerReply request(String peer, PeerRequest template) {
        if (state != MembershipState.JOINED) {
            return new PeerReply(null, false, "this gateway is not joined to instance '" + instance + "': " + detail,
                    null, null);
        }
        if (!view.isOnline(peer)) {
            return new PeerReply(null, false, "gateway '" + peer + "' is not an online member of instance '"
                    + instance + "' (see betaas:gateway-list)", null, null);
        }
        String correlation = UUID.randomUUID().toString();
        PeerRequest r = new PeerRequest(correlation, template.op(), topics.replies(gatewayId), template.template(),
                template.driver(), template.vmId(), template.requester());
        CompletableFuture<PeerReply> future = new CompletableFuture<>();
        pending.put(correlation, new Pending(peer, r.op(), future));
        try {
            publish(topics.requests(peer), Envelope.REQUEST, codec.write(r), false);
            PeerReply reply = future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            view.requestOutcome(peer, reply.ok(), clock.millis());
            return reply;
        } catch (TimeoutException e) {
            view.requestOutcome(peer, false, clock.millis());
            return new PeerReply(correlation, false, "gateway '" + peer + "' did not answer the " + r.op()
                    + " request within " + options.requestTimeout().toSeconds() + " s", null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PeerReply(correlation, false, "interrupted while waiting for '" + peer + "'", null, null);
        } catch (ExecutionException e) {
            return new PeerReply(correlation, false, e.getCause().getMessage(), null, null);
        } finally {
            pending.remove(correlation);
        }
    }

    /** Dismisses a peer for every member (retained, signed). */
    public void dismiss(String peer, String reason) {
        Dismissal d = new Dismissal(peer, reason);
        applyDismissal(d, gatewayId);
        publish(topics.dismissed(peer), Envelope.DISMISS, codec.write(d), true);
    }

    public boolean knows(String peer) {
        return view.knows(peer) || verifier.isDismissed(peer);
    }

    public List<PeerGateway> peers() {
        return view.peers(clock.millis());
    }

    public GatewayStatus lastStatus() {
        return lastStatus;
    }

    public MembershipState state() {
        return state;
    }

    public String detail() {
        return detail;
    }

    public String session() {
        return session;
    }

    public Map<String, Long> counters() {
        Map<String, Long> all = new LinkedHashMap<>(verifier.counters());
        all.put("stale_session", staleSessions.get());
        all.put("published", published.get());
        all.put("network_errors", (long) networkErrors.get());
        return all;
    }

    /**
     * Ends the session. When {@code leaving}, publishes this gateway offline first (a clean leave, not held
     * against it); otherwise the broker's last will marks it offline if the connection simply drops.
     */
    public void close(boolean leaving) {
        if (closed) {
            return;
        }
        MqttAsyncClient c = client;
        if (c != null && c.isConnected() && state != MembershipState.DISMISSED) {
            try {
                GatewayStatus s = local.status(session, view.opinions(clock.millis()), List.copyOf(replaced), networkErrors.get());
                Envelope bye = signer.sign(Envelope.STATUS, codec.write(s.offline(clock.millis())));
                c.publish(topics.status(gatewayId), codec.envelope(bye), QOS, true).waitForCompletion(2_000);
            } catch (MqttException | RuntimeException e) {
                LOG.debug("Instance '{}': cannot publish the leave: {}", instance, e.toString());
            }
        }
        closed = true;
        scheduler.shutdownNow();
        inbound.shutdownNow();
        workers.shutdownNow();
        for (Pending p : pending.values()) {
            p.reply().complete(new PeerReply(null, false, "this gateway left the instance", null, null));
        }
        if (c != null) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1_000).waitForCompletion(2_000);
                }
            } catch (MqttException e) {
                LOG.debug("Instance '{}': disconnect: {}", instance, e.getMessage());
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                LOG.debug("Instance '{}': close: {}", instance, e.getMessage());
            }
        }
        if (state != MembershipState.DISMISSED) {
            state = leaving ? MembershipState.LEFT : MembershipState.NOT_CONFIGURED;
        }
        client = null;
        if (leaving) {
            LOG.info("Gateway '{}' left instance '{}'", gatewayId, instance);
        }
    }
}
