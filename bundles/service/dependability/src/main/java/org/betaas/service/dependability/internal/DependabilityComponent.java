package org.betaas.service.dependability.internal;

import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.api.dependability.Watched;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmStats;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.promise.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dependability Manager: every {@code pollSeconds} it looks at the BETaaS DS components (SCR), the BETaaS
 * bundles, the VMs of the VM Manager and the peers of the Instance Manager, and hands what is failing to the
 * {@link Supervisor}, which decides under the {@link RecoveryPolicy} when to act and records the incidents. Every
 * service it uses is optional: it is never unsatisfied, and watches what is there.
 */
@Component(service = DependabilityManager.class, configurationPid = "org.betaas.dependability",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS Dependability Manager")
@Designate(ocd = DependabilityConfiguration.class)
public final class DependabilityComponent implements DependabilityManager, Recoverer {

    private static final Logger LOG = LoggerFactory.getLogger(DependabilityComponent.class);
    static final String REQUESTER = "dependability";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VmManager vmManager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaasResourcesManager placement;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InstanceManager instanceManager;

    private final BundleContext context;
    private final DependabilityConfiguration config;
    private final IncidentStore store;
    private final Supervisor supervisor;
    private final List<String> problems = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "betaas-dependability");
        t.setDaemon(true);
        return t;
    });

    // what was seen healthy, so that only a change for the worse counts (touched by the timer thread only)
    private final Set<String> componentsSeenHealthy = new HashSet<>();
    private final Set<Long> bundlesSeenActive = new HashSet<>();
    private final Set<String> vmsSeenRunning = new HashSet<>();
    private final Set<String> peersSeenOnline = new HashSet<>();
    private final Map<String, Long> componentBundles = new ConcurrentHashMap<>();
    private final Map<String, Long> bundleIds = new ConcurrentHashMap<>();
    private final Map<String, VmInstance> vmsById = new ConcurrentHashMap<>();
    // the VMs' CPU time: their heartbeat as the hypervisor shows it (touched by the timer thread only)
    private final VmHeartbeats heartbeats = new VmHeartbeats();
    private final Duration vmStall;
    private final WatchBook book = new WatchBook();
    private final Clock clock = Clock.systemUTC();

    @Activate
    public DependabilityComponent(BundleContext context, DependabilityConfiguration config) {
        this.context = context;
        this.config = config;
        problems.addAll(RecoveryPolicy.problems(config.maxAttempts(), config.initialDelaySeconds(),
                config.maxDelaySeconds()));
        if (config.pollSeconds() < 1) {
            problems.add("pollSeconds = " + config.pollSeconds() + " is below 1: using 5");
        }
        if (config.vmStallSeconds() < 0) {
            problems.add("vmStallSeconds = " + config.vmStallSeconds()
                    + " is negative: use 0 (never call a VM hung) or more; using 0");
        }
        vmStall = Duration.ofSeconds(Math.max(0, config.vmStallSeconds()));
        RecoveryPolicy policy = problems.isEmpty()
                ? new RecoveryPolicy(config.maxAttempts(), Duration.ofSeconds(config.initialDelaySeconds()),
                Duration.ofSeconds(config.maxDelaySeconds()))
                : new RecoveryPolicy(Math.max(0, config.maxAttempts()),
                Duration.ofSeconds(Math.max(0, config.initialDelaySeconds())),
                Duration.ofSeconds(Math.max(0, config.maxDelaySeconds())));
        String jdbcUrl = config.jdbcUrl() == null || config.jdbcUrl().isBlank()
                ? "jdbc:h2:file:" + Paths.get(System.getProperty("karaf.data", "data"), "betaas", "incidents")
                .toAbsolutePath()
                : config.jdbcUrl().trim();
        IncidentStore s;
        try {
            s = new H2IncidentStore(jdbcUrl, config.historySize());
        } catch (SQLException e) {
            problems.add("The incident database " + jdbcUrl + " cannot be opened (" + e.getMessage()
                    + "): incidents are kept in memory only; fix jdbcUrl in etc/org.betaas.dependability.cfg");
            s = new MemoryIncidentStore(config.historySize());
        }
        store = s;
        problems.forEach(p -> LOG.warn("Dependability Manager configuration: {}", p));
        supervisor = new Supervisor(clock, policy, store, this);
        long poll = config.pollSeconds() < 1 ? 5 : config.pollSeconds();
        timer.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.SECONDS);
        LOG.info("Dependability Manager watching every {} s ({})", poll, policy);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    @Override
    public List<Incident> incidents(int limit) {
        return store.recent(Math.max(0, limit));
    }

    @Override
    public List<Incident> incidentsSince(Instant since) {
        return store.since(since);
    }

    @Override
    public Watched watched() {
        return book.watched();
    }

    /** Configuration problems, one message per wrong value. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    private boolean running() {
        Bundle system = context.getBundle(0);
        return system != null && system.getState() == Bundle.ACTIVE
                && context.getBundle().getState() == Bundle.ACTIVE && !timer.isShutdown();
    }

    void tick() {
        if (!running()) {
            return;
        }
        Set<SubjectKind> kinds = EnumSet.noneOf(SubjectKind.class);
        try {
            if (config.watchBundles()) {
                kinds.add(SubjectKind.BUNDLE);
                List<WatchBook.Look> looks = new ArrayList<>();
                observe(SubjectKind.BUNDLE, bundleFailures(looks), looks);
            }
            ServiceComponentRuntime runtime = scr;
            if (config.watchComponents() && runtime != null) {
                kinds.add(SubjectKind.COMPONENT);
                List<WatchBook.Look> looks = new ArrayList<>();
                observe(SubjectKind.COMPONENT, componentFailures(runtime, looks), looks);
            }
            VmManager vms = vmManager;
            if (config.watchVms() && vms != null) {
                kinds.add(SubjectKind.VM);
                List<WatchBook.Look> looks = new ArrayList<>();
                observe(SubjectKind.VM, vmFailures(vms, looks), looks);
            }
            InstanceManager instance = instanceManager;
            if (config.watchPeers() && instance != null) {
                kinds.add(SubjectKind.PEER);
                List<WatchBook.Look> looks = new ArrayList<>();
                observe(SubjectKind.PEER, peerFailures(instance, looks), looks);
            }
        } catch (RuntimeException e) {
            LOG.warn("Dependability check failed: {}", e.toString());
        } finally {
            book.publish(kinds, clock.instant());
        }
    }

    private void observe(SubjectKind kind, List<Failure> failing, List<WatchBook.Look> looks) {
        supervisor.observe(kind, failing);
        book.looked(kind, looks, failing, supervisor.episodes(), clock.instant());
    }

    private List<Bundle> betaasBundles() {
        List<Bundle> out = new ArrayList<>();
        long self = context.getBundle().getBundleId();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.betaas.")
                    && b.getBundleId() != self && b.getHeaders().get("Fragment-Host") == null) {
                out.add(b);
            }
        }
        return out;
    }

    private List<Failure> bundleFailures(List<WatchBook.Look> looks) {
        List<Failure> failing = new ArrayList<>();
        Set<Long> present = new HashSet<>();
        for (Bundle b : betaasBundles()) {
            present.add(b.getBundleId());
            bundleIds.put(b.getSymbolicName(), b.getBundleId());
            if (b.getState() == Bundle.ACTIVE) {
                bundlesSeenActive.add(b.getBundleId());
            } else if ((b.getState() == Bundle.RESOLVED || b.getState() == Bundle.INSTALLED)
                    && bundlesSeenActive.contains(b.getBundleId())) {
                failing.add(new Failure(SubjectKind.BUNDLE, b.getSymbolicName(),
                        (b.getState() == Bundle.RESOLVED ? "RESOLVED" : "INSTALLED") + " (was ACTIVE)", true));
            }
        }
        bundlesSeenActive.retainAll(present);
        for (Bundle b : betaasBundles()) {
            looks.add(new WatchBook.Look(SubjectKind.BUNDLE, b.getSymbolicName(), bundleState(b.getState()),
                    bundlesSeenActive.contains(b.getBundleId()), null));
        }
        return failing;
    }

    private static String bundleState(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    private static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "STATE " + state;
        };
    }

    private List<Failure> componentFailures(ServiceComponentRuntime runtime, List<WatchBook.Look> looks) {
        List<Bundle> active = new ArrayList<>();
        for (Bundle b : betaasBundles()) {
            if (b.getState() == Bundle.ACTIVE) {
                active.add(b);
            }
        }
        List<Failure> failing = new ArrayList<>();
        if (active.isEmpty()) {
            return failing;
        }
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(active.toArray(new Bundle[0]))) {
            String key = d.bundle.id + "/" + d.name;
            componentBundles.put(d.name, d.bundle.id);
            if (!runtime.isComponentEnabled(d)) {
                if (componentsSeenHealthy.contains(key)) {
                    failing.add(new Failure(SubjectKind.COMPONENT, d.name, "DISABLED (was enabled)", true));
                }
                looks.add(new WatchBook.Look(SubjectKind.COMPONENT, d.name, "DISABLED",
                        componentsSeenHealthy.contains(key), null));
                continue;
            }
            ComponentConfigurationDTO[] configurations = runtime.getComponentConfigurationDTOs(d)
                    .toArray(new ComponentConfigurationDTO[0]);
            for (ComponentConfigurationDTO c : configurations) {
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED ->
                            componentsSeenHealthy.add(key);
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> failing.add(new Failure(
                            SubjectKind.COMPONENT, d.name, "FAILED ACTIVATION"
                            + (c.failure == null ? "" : ": " + firstLine(c.failure)), true));
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        if (componentsSeenHealthy.contains(key)) {
                            List<String> missing = new ArrayList<>();
                            if (c.unsatisfiedReferences != null) {
                                for (var u : c.unsatisfiedReferences) {
                                    missing.add(u.name);
                                }
                            }
                            failing.add(new Failure(SubjectKind.COMPONENT, d.name,
                                    "UNSATISFIED (missing " + String.join(", ", missing) + ")", true));
                        }
                    }
                    default -> {
                    }
                }
            }
            looks.add(new WatchBook.Look(SubjectKind.COMPONENT, d.name, configurations.length == 0
                    ? "NO CONFIGURATION" : componentState(configurations[0].state),
                    componentsSeenHealthy.contains(key), null));
        }
        return dedupe(failing);
    }

    private static List<Failure> dedupe(List<Failure> failing) {
        Map<String, Failure> byKey = new java.util.LinkedHashMap<>();
        failing.forEach(f -> byKey.putIfAbsent(f.key(), f));
        return new ArrayList<>(byKey.values());
    }

    private List<Failure> vmFailures(VmManager vms, List<WatchBook.Look> looks) {
        List<Failure> failing = new ArrayList<>();
        Set<String> present = new HashSet<>();
        List<VmInstance> all = vms.list();
        Instant now = clock.instant();
        for (VmInstance vm : all) {
            present.add(vm.id());
            vmsById.put(vm.id(), vm);
            heartbeats.observe(vm.id(), vm.state(), cpuTime(vms, vm), now);
            switch (vm.state()) {
                case RUNNING -> {
                    vmsSeenRunning.add(vm.id());
                    if (heartbeats.hung(vm.id(), vmStall, now)) {
                        failing.add(new Failure(SubjectKind.VM, vm.id(), hungWhat(vm), true));
                    }
                }
                case FAILED -> failing.add(new Failure(SubjectKind.VM, vm.id(),
                        vm.state() + " (template " + vm.template() + ")", true));
                case VANISHED -> {
                    // no location yet: its deploy is still under way (the VM Manager records a VM before its
                    // driver defines it, and a reconciliation in between finds no domain), not a failure -
                    // unless this manager saw it running, which no deploy in progress is
                    if (vm.location() != null && !vm.location().isBlank() || vmsSeenRunning.contains(vm.id())) {
                        failing.add(new Failure(SubjectKind.VM, vm.id(),
                                vm.state() + " (template " + vm.template() + ")", config.replaceVanishedVms()));
                    }
                }
                case DEFINED -> {
                    if (vmsSeenRunning.contains(vm.id())) {
                        failing.add(new Failure(SubjectKind.VM, vm.id(),
                                "shut off without being asked (template " + vm.template() + ")", true));
                    }
                }
                case DESTROYED, STOPPED -> vmsSeenRunning.remove(vm.id());
                default -> {
                }
            }
        }
        vmsSeenRunning.retainAll(present);
        vmsById.keySet().retainAll(present);
        heartbeats.retain(present);
        for (VmInstance vm : all) {
            looks.add(new WatchBook.Look(SubjectKind.VM, vm.id(), vm.state().name(),
                    vmsSeenRunning.contains(vm.id()), heartbeats.lastProgress(vm.id())));
        }
        return failing;
    }

    /** The same words at every look (a changed text would read as a new shape of the failure). */
    private String hungWhat(VmInstance vm) {
        return "hung: RUNNING without CPU progress for " + vmStall.toSeconds() + " s (template " + vm.template()
                + ")";
    }

    /** The VM's CPU time now, for running and suspended VMs; null when the driver does not tell. */
    private static Long cpuTime(VmManager vms, VmInstance vm) {
        if (vm.state() != VmState.RUNNING && vm.state() != VmState.STOPPED) {
            return null;
        }
        try {
            Optional<VmStats> stats = vms.stats(vm.id());
            return stats.map(VmStats::cpuTimeNanos).orElse(null);
        } catch (Exception e) {
            LOG.debug("No statistics of VM {}: {}", vm.id(), e.toString());
            return null;
        }
    }

    private List<Failure> peerFailures(InstanceManager instance, List<WatchBook.Look> looks) {
        List<Failure> failing = new ArrayList<>();
        for (PeerGateway p : instance.gateways()) {
            if (p.self() || p.dismissed()) {
                continue;
            }
            if (p.online()) {
                peersSeenOnline.add(p.gatewayId());
            } else if (peersSeenOnline.contains(p.gatewayId())) {
                failing.add(new Failure(SubjectKind.PEER, p.gatewayId(),
                        "offline (" + p.missedHeartbeats() + " missed heartbeats)", false));
            }
            looks.add(new WatchBook.Look(SubjectKind.PEER, p.gatewayId(), p.online() ? "online" : "offline",
                    peersSeenOnline.contains(p.gatewayId()), null));
        }
        return failing;
    }

    @Override
    public String noteAction(Failure failure) {
        if (failure.kind() == SubjectKind.VM) {
            return "none (replaceVanishedVms = false): betaas:vm-deploy the template again, betaas:vm-destroy "
                    + failure.subject() + " forgets it";
        }
        return "left to the Instance Manager (it re-places the peer's VMs)";
    }

    @Override
    public Attempt recover(Failure failure, int attempt) throws Exception {
        return switch (failure.kind()) {
            case COMPONENT -> restartComponent(failure.subject());
            case BUNDLE -> startBundle(failure.subject());
            case VM -> recoverVm(failure, attempt);
            case PEER -> Attempt.pending(noteAction(failure));
        };
    }

    private Attempt restartComponent(String name) throws Exception {
        ServiceComponentRuntime runtime = scr;
        Long bundleId = componentBundles.get(name);
        Bundle bundle = bundleId == null ? null : context.getBundle(bundleId);
        if (runtime == null || bundle == null) {
            throw new Exception("SCR or the component's bundle is gone");
        }
        ComponentDescriptionDTO d = runtime.getComponentDescriptionDTO(bundle, name);
        if (d == null) {
            throw new Exception("SCR no longer knows the component");
        }
        if (runtime.isComponentEnabled(d)) {
            await(runtime.disableComponent(d));
        }
        await(runtime.enableComponent(d));
        LOG.info("Dependability: component {} disabled and enabled again", name);
        return Attempt.pending("disable+enable through SCR");
    }

    private static void await(Promise<Void> p) throws Exception {
        CountDownLatch resolved = new CountDownLatch(1);
        p.onResolve(resolved::countDown);
        if (!resolved.await(10, TimeUnit.SECONDS)) {
            throw new Exception("SCR did not answer within 10 s");
        }
        if (p.getFailure() != null) {
            throw new Exception(p.getFailure().toString());
        }
    }

    private Attempt startBundle(String symbolicName) throws BundleException {
        Long id = bundleIds.get(symbolicName);
        Bundle b = id == null ? null : context.getBundle(id);
        if (b == null) {
            throw new BundleException("the bundle is no longer installed");
        }
        b.start();
        LOG.info("Dependability: bundle {} started again", symbolicName);
        return Attempt.pending("bundle start");
    }

    /**
     * A VM shut off, or FAILED at the first attempt: resumed (same id); FAILED later, VANISHED or hung (RUNNING
     * without CPU progress: resuming cannot help): re-placed, the old one destroyed.
     */
    private Attempt recoverVm(Failure failure, int attempt) throws Exception {
        String vmId = failure.subject();
        VmManager vms = vmManager;
        VmInstance seen = vmsById.get(vmId);
        if (vms == null || seen == null) {
            throw new Exception("the VM Manager or the VM's record is gone");
        }
        // looked at again: an operator may have destroyed, resumed or stopped it since the last look
        VmInstance vm = vms.find(vmId).orElse(null);
        boolean hung = failure.what().startsWith("hung");
        if (vm == null || vm.state() == VmState.STOPPED || vm.state() == VmState.DESTROYED
                || (vm.state() == VmState.RUNNING) != hung) {
            return null;
        }
        if (vm.state() == VmState.DEFINED || (vm.state() == VmState.FAILED && attempt == 1)) {
            vms.resume(vmId);
            LOG.info("Dependability: VM {} resumed", vmId);
            return Attempt.pending("resume through the VM Manager");
        }
        VmRequest request = new VmRequest(vm.template(), REQUESTER);
        // a service VM's web application comes back with it (the payload stays on this gateway)
        java.nio.file.Path payload = vms.payload(vmId).orElse(null);
        TaasResourcesManager taas = placement;
        VmInstance replacement;
        String how;
        if (taas != null) {
            replacement = taas.deploy(request, payload);
            how = "re-placed through the TaaS Resources Manager";
        } else {
            replacement = vms.deploy(request, vm.driver(), payload);
            how = "re-deployed on driver " + vm.driver() + " (no TaaS Resources Manager)";
        }
        if (payload != null) {
            how += " with its payload " + payload.getFileName();
        }
        String cleanup = "";
        try {
            // before the old one goes: whoever holds its id (an app) follows it to the replacement
            vms.replaced(vmId, replacement.id());
        } catch (Exception e) {
            cleanup = "; not recorded as its replacement: " + e.getMessage();
        }
        try {
            vms.destroy(vmId);
        } catch (Exception e) {
            cleanup += "; the old VM could not be destroyed: " + e.getMessage();
        }
        LOG.info("Dependability: VM {} ({}) replaced by {} at {}", vmId, failure.what(), replacement.id(),
                replacement.location());
        return new Attempt(how + " (template " + vm.template() + ")", true,
                Incident.RECOVERED + ": replaced by " + replacement.id() + " at " + replacement.location() + cleanup);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
