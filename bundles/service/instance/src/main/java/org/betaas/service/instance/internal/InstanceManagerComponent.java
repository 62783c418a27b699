package org.betaas.service.instance.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.instance.GatewayIdentity;
import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.InstanceInfo;
import org.betaas.api.instance.InstanceInfo.MembershipState;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.PeerDirectory;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.service.instance.internal.bus.BusSession;
import org.betaas.service.instance.internal.bus.InstanceKey;
import org.betaas.service.instance.internal.bus.PeerReply;
import org.betaas.service.instance.internal.bus.PeerRequest;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Instance Manager: this gateway's membership of its BETaaS instance over the instance's MQTT broker
 * (configuration PID {@code org.betaas.instance}). Without a broker or key it stays active and says why it is not
 * joined. As a {@link PeerDirectory} it gives the TaaS Resources Manager the online, non-dismissed peers.
 */
@Component(configurationPid = "org.betaas.instance", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {InstanceManager.class, PeerDirectory.class},
        property = "service.description=BETaaS Instance Manager")
@Designate(ocd = InstanceConfiguration.class)
public final class InstanceManagerComponent implements InstanceManager, PeerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceManagerComponent.class);
    private static final String PID = "org.betaas.instance";

    private final LocalGateway gateway;
    private final ConfigurationAdmin configurationAdmin;
    private final String version;
    private final Clock clock = Clock.systemUTC();
    private final List<VmDriver> drivers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VmManager vmManager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ResourceMonitor resourceMonitor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ResourceHistory resourceHistory;

    /**
     * Re-places the VMs of failed peers (optional: without it they are only reported). Taken only when a VM is
     * re-placed, not when this component is activated: the TaaS Resources Manager takes this component as its
     * {@link PeerDirectory}, and activating each from the other's activation was a cycle that Felix reported as an
     * ERROR ("ServiceFactory.getService() resulted in a cycle") at every boot.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ComponentServiceObjects<TaasResourcesManager> placement;

    private volatile InstanceSettings settings;
    private volatile BusSession session;
    private volatile StatusSource local;
    private volatile String dismissedDetail;

    @Activate
    public InstanceManagerComponent(@Reference LocalGateway gateway, @Reference ConfigurationAdmin configurationAdmin,
                                    BundleContext context, InstanceConfiguration config) {
        this.gateway = gateway;
        this.configurationAdmin = configurationAdmin;
        this.version = context.getBundle().getVersion().toString();
        apply(config);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDriver(VmDriver driver) {
        drivers.add(driver);
    }

    void removeDriver(VmDriver driver) {
        drivers.remove(driver);
    }

    @Modified
    private synchronized void apply(InstanceConfiguration c) {
        InstanceSettings parsed = InstanceSettings.parse(c.broker_url(), c.broker_user(), c.broker_password(),
                c.instance_key(), c.join(), c.keepalive_seconds(), c.status_period_seconds(),
                c.replay_window_seconds(), c.request_timeout_seconds(), c.trust_window_minutes(),
                c.trust_threshold());
        List<String> tlsProblems = new ArrayList<>();
        org.betaas.service.instance.internal.bus.BrokerTls tls = InstanceSettings.tls(c.broker_keyStore(),
                c.broker_keyStorePassword(), c.broker_trustStore(), c.broker_trustStorePassword(),
                java.nio.file.Paths.get(System.getProperty("karaf.etc", "etc")), tlsProblems);
        parsed.problems().forEach(p -> LOG.error("Instance configuration: {}", p));
        tlsProblems.forEach(p -> LOG.error("Instance configuration: {}", p));
        stopSession(false);
        settings = parsed;
        dismissedDetail = null;
        GatewayIdentity id = gateway.identity();
        local = new StatusSource(id.gatewayId(), version, () -> resourceMonitor, () -> resourceHistory,
                () -> vmManager, () -> List.copyOf(drivers), this::redeploy, this::cpuScaling, clock);
        String missing = parsed.missing();
        if (missing != null) {
            LOG.info("Gateway '{}' is not joined to instance '{}': {}", id.gatewayId(), id.instanceId(), missing);
            return;
        }
        BusSession s = new BusSession(id.instanceId(), id.gatewayId(), new BusSession.Options(parsed.brokerUrl(),
                parsed.brokerUser(), parsed.brokerPassword(), new InstanceKey(parsed.instanceKey()),
                parsed.keepAlive(), parsed.statusPeriod(), parsed.replayWindow(), parsed.requestTimeout(),
                parsed.trustWindow(), parsed.trustThreshold(), tls), local, clock, this::dismissedSelf);
        session = s;
        LOG.info("Gateway '{}' joining instance '{}' through {} (keep-alive {} s)", id.gatewayId(), id.instanceId(),
                parsed.brokerUrl(), parsed.keepAlive().toSeconds());
        s.start();
    }

    @Deactivate
    private synchronized void deactivate() {
        stopSession(true);
    }

    private void stopSession(boolean leaving) {
        BusSession s = session;
        session = null;
        if (s != null) {
            s.close(leaving);
        }
    }

    private void dismissedSelf(String detail) {
        dismissedDetail = detail;
        BusSession s = session;
        if (s != null) {
            // close off the callback thread: the session's own executors run this
            Thread t = new Thread(() -> s.close(false), "betaas-instance-dismissed");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public InstanceInfo info() {
        GatewayIdentity id = gateway.identity();
        InstanceSettings st = settings;
        BusSession s = session;
        MembershipState state;
        String detail;
        if (dismissedDetail != null) {
            state = MembershipState.DISMISSED;
            detail = "not joined: " + dismissedDetail;
        } else if (s == null) {
            String missing = st.missing();
            state = st.join() ? MembershipState.NOT_CONFIGURED : MembershipState.LEFT;
            detail = "not joined: " + (missing == null ? "stopped" : missing);
        } else {
            state = s.state();
            detail = s.detail();
        }
        return new InstanceInfo(id.instanceId(), id.gatewayId(), state, detail, st.brokerUrl(), st.brokerUser(),
                !st.instanceKey().isEmpty(), st.keepAlive().toMillis(), st.trustThreshold(),
                s == null ? Map.of() : s.counters(), st.problems());
    }

    @Override
    public List<PeerGateway> gateways() {
        BusSession s = session;
        GatewayIdentity id = gateway.identity();
        GatewayStatus mine = s != null && s.lastStatus() != null ? s.lastStatus()
                : local.status(s == null ? "" : s.session(), Map.of(), List.of(), 0);
        boolean joined = s != null && s.state() == MembershipState.JOINED;
        List<PeerGateway> all = new ArrayList<>();
        all.add(new PeerGateway(id.gatewayId(), true, joined, false, 1.0, clock.millis(), 0, mine));
        if (s != null) {
            all.addAll(s.peers());
        }
        return all;
    }

    @Override
    public void join(String brokerUrl, String instanceKey) {
        if (brokerUrl != null && !InstanceSettings.validBrokerUrl(brokerUrl.trim())) {
            throw new IllegalArgumentException("broker URL " + (brokerUrl.contains("@") ? "(with credentials)"
                    : "'" + brokerUrl + "'") + " is not valid: use tcp://HOST:PORT or ssl://HOST:PORT");
        }
        if (instanceKey != null && instanceKey.trim().length() < InstanceSettings.MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("the instance key is shorter than "
                    + InstanceSettings.MIN_KEY_LENGTH + " characters: use the instance's shared key");
        }
        Map<String, Object> changes = new java.util.HashMap<>();
        changes.put("join", Boolean.TRUE);
        if (brokerUrl != null) {
            changes.put("broker.url", brokerUrl.trim());
        }
        if (instanceKey != null) {
            changes.put("instance.key", instanceKey.trim());
        }
        InstanceSettings st = settings;
        String url = brokerUrl != null ? brokerUrl : st.brokerUrl();
        boolean key = instanceKey != null || !st.instanceKey().isEmpty();
        if (url.isEmpty() || !key) {
            throw new IllegalArgumentException("cannot join: " + (url.isEmpty() ? "no broker configured: give"
                    + " --broker tcp://HOST:PORT" : "no instance key configured: give --key"));
        }
        updateConfiguration(changes);
    }

    @Override
    public void leave() {
        updateConfiguration(Map.of("join", Boolean.FALSE));
    }

    private void updateConfiguration(Map<String, Object> changes) {
        try {
            Configuration c = configurationAdmin.getConfiguration(PID, null);
            Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            changes.forEach(props::put);
            c.update(props);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the instance configuration: " + e.getMessage(), e);
        }
    }

    @Override
    public void dismiss(String gatewayId) {
        BusSession s = joinedSession();
        if (gatewayId.equals(gateway.identity().gatewayId())) {
            throw new IllegalArgumentException("'" + gatewayId + "' is this gateway: use betaas:instance-leave");
        }
        if (!s.knows(gatewayId)) {
            throw new IllegalArgumentException("gateway '" + gatewayId + "' is not known in instance '"
                    + gateway.identity().instanceId() + "' (see betaas:gateway-list)");
        }
        s.dismiss(gatewayId, "administrator of " + gateway.identity().gatewayId());
    }

    private BusSession joinedSession() {
        BusSession s = session;
        if (s == null || s.state() != MembershipState.JOINED) {
            throw new IllegalArgumentException("this gateway is not joined: " + info().detail());
        }
        return s;
    }

    @Override
    public VmInstance deployOn(String gatewayId, VmRequest request, String driver) throws VmException {
        PeerReply r = request(gatewayId, new PeerRequest(null, PeerRequest.DEPLOY, null, request.template(), driver,
                null, request.requester()));
        GatewayStatus.VmSummary v = r.vm();
        if (v == null) {
            throw new VmException("gateway '" + gatewayId + "' deployed " + request.template()
                    + " but did not describe the VM");
        }
        return new VmInstance(v.id(), v.template(), v.driver(), gatewayId, VmState.valueOf(v.state()),
                Instant.ofEpochMilli(v.createdAt()), v.vcpus(), v.memoryMiB());
    }

    /** For the TaaS Resources Manager: the peer's own driver choice. */
    @Override
    public VmInstance deployOn(String gatewayId, VmRequest request) throws VmException {
        return deployOn(gatewayId, request, null);
    }

    @Override
    public void stopOn(String gatewayId, String vmId) throws VmException {
        request(gatewayId, new PeerRequest(null, PeerRequest.STOP, null, null, null, vmId, null));
    }

    @Override
    public void resumeOn(String gatewayId, String vmId) throws VmException {
        request(gatewayId, new PeerRequest(null, PeerRequest.RESUME, null, null, null, vmId, null));
    }

    @Override
    public void destroyOn(String gatewayId, String vmId) throws VmException {
        request(gatewayId, new PeerRequest(null, PeerRequest.DESTROY, null, null, null, vmId, null));
    }

    @Override
    public GatewayStatus statusOf(String gatewayId) throws VmException {
        return request(gatewayId, new PeerRequest(null, PeerRequest.STATUS, null, null, null, null, null)).status();
    }

    private PeerReply request(String gatewayId, PeerRequest r) throws VmException {
        BusSession s = session;
        if (s == null) {
            throw new VmException("cannot ask gateway '" + gatewayId + "': " + info().detail());
        }
        PeerReply reply = s.request(gatewayId, r);
        if (!reply.ok()) {
            throw new VmException(reply.error());
        }
        return reply;
    }

    /** Has the TaaS Resources Manager place and deploy the request; null when it is not installed. */
    private VmInstance redeploy(VmRequest request) throws VmException {
        ComponentServiceObjects<TaasResourcesManager> objects = placement;
        TaasResourcesManager manager = objects == null ? null : objects.getService();
        if (manager == null) {
            return null;
        }
        try {
            return manager.deploy(request);
        } finally {
            objects.ungetService(manager);
        }
    }

    /** This gateway's CPU figures as its TaaS Resources Manager is configured (etc/org.betaas.placement.cfg). */
    CpuScaling cpuScaling() {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + CpuScaling.PLACEMENT_PID
                    + ")");
            return CpuScaling.of(found == null || found.length == 0 ? null : found[0].getProperties());
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
            return CpuScaling.DEFAULTS;
        }
    }

    @Override
    public List<GatewayCandidate> peers() {
        BusSession s = session;
        if (s == null || s.state() != MembershipState.JOINED) {
            return List.of();
        }
        List<GatewayCandidate> candidates = new ArrayList<>();
        CpuScaling scaling = cpuScaling();
        for (PeerGateway p : s.peers()) {
            if (p.online() && !p.dismissed() && p.status() != null) {
                candidates.add(Candidates.of(p, scaling));
            }
        }
        return candidates;
    }
}
