package org.betaas.taas.resources.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.placement.PeerDirectory;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmsUsage;
import org.betaas.taas.resources.placement.AllocationPolicy;
import org.betaas.taas.resources.placement.PlacementRequest;
import org.betaas.taas.resources.placement.RemoteCloud;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaaS Resources Manager: gathers this gateway's (and, when an Instance Manager provides a
 * {@link PeerDirectory}, its peers') resources and forecasts, asks the {@link AllocationPolicy} where a VM goes,
 * and has it deployed there, falling back to the next possible target when the chosen one fails.
 *
 * <p>This gateway's predicted use is its measured use, forecast over the resource history's horizon (the current
 * use while the history is still empty),
 * minus what its VMs really use now (the measured use holds QEMU's memory, their disk images and the guests' CPU,
 * and the VMs already count as reserved: {@link VmsUsage#background}), plus what its VMs reserve: the peak point
 * forecast and the peak upper bound both go to the policy, which prefers gateways where a VM fits under the upper
 * bound.
 */
@Component(configurationPid = "org.betaas.placement", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS TaaS Resources Manager (placement)")
@Designate(ocd = PlacementConfiguration.class)
public final class TaasResourcesManagerComponent implements TaasResourcesManager {

    private static final Logger LOG = LoggerFactory.getLogger(TaasResourcesManagerComponent.class);
    private static final double MIB = 1024.0 * 1024.0;
    static final String LOCAL_DRIVER = "libvirt";
    static final String CLOUD_DRIVER = "openstack";

    /** Where no gateway identity is installed (betaas-taas without betaas-service). */
    static final String UNNAMED = "this-gateway";

    private final ResourceMonitor monitor;
    private volatile PlacementSettings settings;
    private volatile AllocationPolicy policy;

    // Optional so that the betaas-taas feature resolves on its own (the identity comes with betaas-service).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LocalGateway gateway;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TemplateRegistry templates;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile VmManager vmManager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ResourceHistory history;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PeerDirectory peers;

    @Reference(target = "(driver=" + LOCAL_DRIVER + ")", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile VmDriver hypervisor;

    @Reference(target = "(driver=" + CLOUD_DRIVER + ")", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile VmDriver cloud;

    @Activate
    public TaasResourcesManagerComponent(@Reference ResourceMonitor monitor, PlacementConfiguration config) {
        this.monitor = monitor;
        apply(config);
    }

    @Modified
    void apply(PlacementConfiguration c) {
        PlacementSettings parsed = PlacementSettings.parse(c.trust_threshold(), c.powerful_power(),
                c.shortage_level(), c.cpu_allocation_ratio(), c.cpu_speed(), c.remote_vmLimit());
        parsed.problems().forEach(p -> LOG.error("Placement configuration: {}", p));
        settings = parsed;
        policy = new AllocationPolicy(parsed.policy());
    }

    @Override
    public PlacementDecision place(VmRequest request) {
        return place(request, Set.of(), false);
    }

    private PlacementDecision place(VmRequest request, Set<String> failedGateways, boolean cloudFailed) {
        TemplateRegistry registry = templates;
        if (registry == null) {
            String reason = "no VM Manager installed: no template registry to look up '" + request.template()
                    + "' (feature:install betaas-taas)";
            return new PlacementDecision.Rejected(reason, List.of(reason));
        }
        Optional<VmTemplate> template = registry.find(request.template());
        if (template.isEmpty()) {
            List<String> names = registry.templates().stream().map(VmTemplate::name).sorted().toList();
            String reason = "unknown template '" + request.template() + "': use one of " + names;
            return new PlacementDecision.Rejected(reason, List.of(reason));
        }
        List<String> context = new ArrayList<>();
        PlacementSettings s = settings;
        List<GatewayCandidate> candidates = new ArrayList<>();
        GatewayCandidate self = localCandidate(s, context);
        if (!failedGateways.contains(self.gatewayId())) {
            candidates.add(self);
        }
        PeerDirectory directory = peers;
        if (directory == null) {
            context.add("Peers: none known (no Instance Manager): this gateway only");
        } else {
            List<GatewayCandidate> known = directory.peers();
            context.add("Peers: " + known.size() + " known to the Instance Manager");
            known.stream().filter(p -> !failedGateways.contains(p.gatewayId())).forEach(candidates::add);
        }
        for (String failed : failedGateways) {
            context.add(failed + ": deploying there just failed, not considered again");
        }
        RemoteCloud remote = remoteCloud(s, cloudFailed, context);
        PlacementRequest placement = PlacementRequest.of(template.get(), request.requester(), registry.templates());
        PlacementDecision d = policy.decide(placement, candidates, List.of(remote));
        List<String> reasons = new ArrayList<>(context);
        reasons.addAll(d.reasons());
        if (d instanceof PlacementDecision.Local l) {
            return new PlacementDecision.Local(l.gatewayId(), reasons);
        }
        if (d instanceof PlacementDecision.Remote r) {
            return new PlacementDecision.Remote(r.cloud(), reasons);
        }
        return new PlacementDecision.Rejected(((PlacementDecision.Rejected) d).reason()
                + (candidates.contains(self) ? unreachableHypervisor(self) : ""), reasons);
    }

    /**
     * Why this gateway could not run the VM when its hypervisor is out of reach, for the rejection itself: its
     * advice (free resources, add a gateway) misleads an operator of a lone gateway whose libvirtd is not running.
     */
    private String unreachableHypervisor(GatewayCandidate self) {
        VmDriver driver = hypervisor;
        if (self.virtualization() || driver == null) {
            return "";
        }
        DriverStatus status = driver.status();
        return status.reachable() ? "" : " (this gateway's hypervisor is not reachable: " + status.detail() + ")";
    }

    @Override
    public VmInstance deploy(VmRequest request) throws VmException {
        Set<String> failedGateways = new HashSet<>();
        boolean cloudFailed = false;
        List<String> failures = new ArrayList<>();
        // each failure removes one target: at most the peers + this gateway + the cloud, bounded anyway
        for (int attempt = 0; attempt < 16; attempt++) {
            PlacementDecision d = place(request, failedGateways, cloudFailed);
            String self = gatewayId();
            try {
                if (d instanceof PlacementDecision.Local l && l.gatewayId().equals(self)) {
                    LOG.info("Placing {} on this gateway {}: {}", request.template(), self, last(d));
                    return manager().deploy(request, LOCAL_DRIVER);
                } else if (d instanceof PlacementDecision.Local l) {
                    PeerDirectory directory = peers;
                    if (directory == null) {
                        throw new VmException("peer " + l.gatewayId() + " is no longer known");
                    }
                    LOG.info("Placing {} on peer {}: {}", request.template(), l.gatewayId(), last(d));
                    return directory.deployOn(l.gatewayId(), request);
                } else if (d instanceof PlacementDecision.Remote r) {
                    LOG.info("Placing {} on remote cloud {}: {}", request.template(), r.cloud(), last(d));
                    return manager().deploy(request, CLOUD_DRIVER);
                } else {
                    String reason = ((PlacementDecision.Rejected) d).reason();
                    throw new VmException(failures.isEmpty() ? "cannot place " + request.template() + ": " + reason
                            : "cannot place " + request.template() + ": " + String.join("; ", failures)
                              + "; nowhere else can take it instead: " + reason, null);
                }
            } catch (VmException e) {
                if (d instanceof PlacementDecision.Rejected) {
                    throw e;
                }
                String target = d instanceof PlacementDecision.Local l ? l.gatewayId()
                        : ((PlacementDecision.Remote) d).cloud();
                failures.add("deploying on " + target + " failed: " + e.getMessage());
                LOG.warn("Deploying {} on {} failed ({}); placing it again without it", request.template(), target,
                        e.getMessage());
                if (d instanceof PlacementDecision.Local l) {
                    failedGateways.add(l.gatewayId());
                } else {
                    cloudFailed = true;
                }
            }
        }
        throw new VmException("cannot place " + request.template() + ": " + String.join("; ", failures));
    }

    /**
     * A VM with a payload (a file of this gateway, e.g. a web application) is deployed on this gateway's hypervisor:
     * peers and the remote cloud cannot receive the file.
     */
    @Override
    public VmInstance deploy(VmRequest request, java.nio.file.Path payload) throws VmException {
        if (payload == null) {
            return deploy(request);
        }
        LOG.info("Placing {} on this gateway {}: it carries an application payload ({}), which only this gateway's "
                + "hypervisor can hand to the VM", request.template(), gatewayId(), payload.getFileName());
        try {
            return manager().deploy(request, LOCAL_DRIVER, payload);
        } catch (VmException e) {
            throw new VmException("cannot place " + request.template() + ": a VM with an application payload is "
                    + "deployed on this gateway's hypervisor only, and that failed: " + e.getMessage(), e);
        }
    }

    private String gatewayId() {
        LocalGateway g = gateway;
        return g == null ? UNNAMED : g.identity().gatewayId();
    }

    private VmManager manager() throws VmException {
        VmManager m = vmManager;
        if (m == null) {
            throw new VmException("no VM Manager installed: feature:install betaas-taas");
        }
        return m;
    }

    private static String last(PlacementDecision d) {
        return d.reasons().isEmpty() ? "" : d.reasons().get(d.reasons().size() - 1);
    }

    /** This gateway as the policy sees it. */
    GatewayCandidate localCandidate(PlacementSettings s, List<String> context) {
        String id = gatewayId();
        ResourceSnapshot now = monitor.current();
        int cores = Math.max(1, now.cpuCores());
        double vcpus = cores * s.cpuAllocationRatio();
        Resources capacity = new Resources(vcpus, now.memoryTotal() / MIB, now.storageTotal() / MIB);

        boolean virtualization = false;
        Resources reserved = Resources.NONE;
        VmsUsage own = VmsUsage.NONE;
        VmDriver driver = hypervisor;
        if (driver == null) {
            context.add(id + ": no " + LOCAL_DRIVER + " VM driver installed: cannot run VMs here");
        } else {
            DriverStatus status = driver.status();
            virtualization = status.reachable();
            context.add(id + ": hypervisor " + status.endpoint() + (status.reachable() ? " reachable, " : " NOT reachable, ")
                    + status.detail());
            if (status.reachable()) {
                try {
                    HostCapacity c = driver.capacity();
                    reserved = new Resources(c.reservedVcpus(), c.reservedMemoryMiB(), c.reservedStorageMiB());
                } catch (VmException e) {
                    context.add(id + ": VMs' reservations unknown (" + e.getMessage() + ")");
                }
                try {
                    own = driver.usage();
                } catch (VmException | RuntimeException e) {
                    context.add(id + ": VMs' own use unknown (" + e.getMessage() + "): the forecast counts it too");
                }
            }
        }
        int vms = 0;
        VmManager m = vmManager;
        if (m != null) {
            vms = (int) m.list().stream().filter(v -> LOCAL_DRIVER.equals(v.driver()) && active(v.state())).count();
        }

        // Host load is a fraction of the physical cores: that many cores are busy. The allocation ratio only
        // scales what can be handed out to VMs (capacity), as Nova's cpu_allocation_ratio does.
        double cpuPoint = now.cpuLoad() * cores;
        double cpuUpper = cpuPoint;
        double memPoint = now.memoryUsed() / MIB;
        double memUpper = memPoint;
        double diskPoint = now.storageUsed() / MIB;
        double diskUpper = diskPoint;
        ResourceHistory h = history;
        if (h == null || h.series(ResourceKind.CPU).length == 0) {
            // an empty history forecasts 0: it must not free resources
            context.add(id + ": no resource history yet: using the current use as forecast");
        } else {
            // The forecast may lie below the use now (Holt sees a falling load): the simulator in benchmarks/ showed
            // that flooring it at the current use refuses VMs the baselines accept (docs/architecture.md).
            Forecast cpu = h.forecast(ResourceKind.CPU);
            Forecast mem = h.forecast(ResourceKind.MEMORY);
            Forecast disk = h.forecast(ResourceKind.STORAGE);
            cpuPoint = cpu.peakForecast() * cores;
            cpuUpper = Math.max(cpuPoint, cpu.peakUpper() * cores);
            memPoint = mem.peakForecast() / MIB;
            memUpper = Math.max(memPoint, mem.peakUpper() / MIB);
            diskPoint = disk.peakForecast() / MIB;
            diskUpper = Math.max(diskPoint, disk.peakUpper() / MIB);
            int steps = cpu.forecasts().size();
            long seconds = h.interval().toSeconds();
            long ahead = steps * seconds;
            context.add(id + ": Holt forecast over the next " + (ahead % 60 == 0 ? ahead / 60 + " min" : ahead + " s")
                    + " (" + steps + (steps == 1 ? " sample" : " samples") + " of " + seconds
                    + " s, forecast.horizon in etc/org.betaas.resources.cfg; alpha "
                    + round2(cpu.alpha()) + ", beta " + round2(cpu.beta()) + " for CPU)");
        }
        if (!VmsUsage.NONE.equals(own)) {
            // the VMs count once, as reserved: the forecast is the host's use outside them
            cpuPoint = own.vcpusOutside(cpuPoint);
            cpuUpper = own.vcpusOutside(cpuUpper);
            memPoint = own.memoryOutside(memPoint);
            memUpper = own.memoryOutside(memUpper);
            diskPoint = own.storageOutside(diskPoint);
            diskUpper = own.storageOutside(diskUpper);
            context.add(id + ": forecast = host use minus its VMs' own use (" + own.describe() + "), as its VMs"
                    + " count as reserved (" + round2(reserved.vcpus()) + " vCPUs, " + Math.round(reserved.memoryMiB())
                    + " MiB memory, " + Math.round(reserved.storageMiB()) + " MiB storage)");
        }
        return new GatewayCandidate(id, architecture(), virtualization, 1.0, cores * s.cpuSpeed(), vms, capacity,
                reserved, new Resources(Math.min(vcpus, cpuPoint), memPoint, diskPoint),
                new Resources(Math.min(vcpus, cpuUpper), memUpper, diskUpper));
    }

    private RemoteCloud remoteCloud(PlacementSettings s, boolean failed, List<String> context) {
        VmDriver driver = cloud;
        if (driver == null) {
            context.add("Remote cloud: no " + CLOUD_DRIVER + " driver installed");
            return RemoteCloud.none();
        }
        if (s.remoteVmLimit() == 0) {
            context.add("Remote cloud: disabled (remote.vmLimit = 0 in " + PlacementSettings.FILE + ")");
            return RemoteCloud.none();
        }
        DriverStatus status = driver.status();
        boolean configured = !"(not configured)".equals(status.endpoint());
        int inUse = 0;
        VmManager m = vmManager;
        if (m != null) {
            inUse = (int) m.list().stream().filter(v -> CLOUD_DRIVER.equals(v.driver()) && active(v.state())).count();
        }
        context.add("Remote cloud " + CLOUD_DRIVER + ": " + status.detail() + (failed ? " (deploying there just failed)" : ""));
        return new RemoteCloud(CLOUD_DRIVER, configured, status.reachable() && !failed, s.remoteVmLimit(), inUse);
    }

    private static boolean active(VmState state) {
        return state != VmState.DESTROYED && state != VmState.VANISHED && state != VmState.FAILED;
    }


    private static String round2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String architecture() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }
}
