package org.betaas.service.instance.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.GatewayStatus.Amount;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmsUsage;
import org.betaas.service.instance.internal.bus.LocalSide;
import org.betaas.service.instance.internal.bus.PeerReply;
import org.betaas.service.instance.internal.bus.PeerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's side of the bus, from whatever services are present: a gateway without the TaaS layer still
 * joins and reports what it has (no VMs, no virtualization).
 */
final class StatusSource implements LocalSide {

    private static final Logger LOG = LoggerFactory.getLogger(StatusSource.class);

    /** Drivers that run VMs in a remote cloud rather than on this gateway. */
    static final String CLOUD_DRIVER = "openstack";

    private static final double MIB = 1024.0 * 1024.0;

    private final String gatewayId;
    private final String version;
    private final Supplier<ResourceMonitor> monitor;
    private final Supplier<ResourceHistory> history;
    private final Supplier<VmManager> vmManager;
    private final Supplier<List<VmDriver>> drivers;
    private final Redeployer placement;
    private final Supplier<CpuScaling> cpuScaling;
    private final Clock clock;

    StatusSource(String gatewayId, String version, Supplier<ResourceMonitor> monitor,
                 Supplier<ResourceHistory> history, Supplier<VmManager> vmManager, Supplier<List<VmDriver>> drivers,
                 Redeployer placement, Supplier<CpuScaling> cpuScaling, Clock clock) {
        this.gatewayId = gatewayId;
        this.version = version;
        this.monitor = monitor;
        this.history = history;
        this.vmManager = vmManager;
        this.drivers = drivers;
        this.placement = placement;
        this.cpuScaling = cpuScaling;
        this.clock = clock;
    }

    /** Java's name of the architecture in the names VM templates use. */
    static String architecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86-64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> osArch;
        };
    }

    @Override
    public GatewayStatus status(String session, Map<String, Double> peerTrust,
                                List<GatewayStatus.Replacement> replaced, int networkErrors) {
        ResourceSnapshot r = current();
        GatewayStatus.Resources resources = r == null ? null
                : new GatewayStatus.Resources(r.cpuCores(), r.cpuLoad(), r.memoryTotal(), r.memoryUsed(),
                        r.storageTotal(), r.storageUsed(),
                        r.batteryPercent().isPresent() ? r.batteryPercent().getAsDouble() : null);
        boolean virtualization = false;
        boolean cloud = false;
        List<String> names = new ArrayList<>();
        Amount capacity = Amount.NONE;
        Amount reserved = Amount.NONE;
        VmsUsage vmsUse = VmsUsage.NONE;
        for (VmDriver d : drivers.get()) {
            names.add(d.name());
            boolean reachable = reachable(d);
            if (CLOUD_DRIVER.equals(d.name())) {
                cloud |= reachable;
                continue;
            }
            virtualization |= reachable;
            if (reachable) {
                try {
                    HostCapacity c = d.capacity();
                    capacity = plus(capacity, new Amount(c.vcpus(), c.memoryMiB(), c.storageMiB()));
                    reserved = plus(reserved, new Amount(c.reservedVcpus(), c.reservedMemoryMiB(),
                            c.reservedStorageMiB()));
                } catch (VmException | RuntimeException e) {
                    // an unreachable hypervisor offers nothing
                }
                try {
                    vmsUse = vmsUse.plus(d.usage());
                } catch (VmException | RuntimeException e) {
                    // unknown: the forecast keeps the VMs' use (conservative)
                }
            }
        }
        GatewayStatus.Headroom headroom = headroom(r, capacity, reserved, vmsUse);
        CpuScaling scaling = cpuScaling.get();
        return new GatewayStatus(gatewayId, version, true, session, resources, headroom, vms(),
                new GatewayStatus.TrustInputs(resources == null ? null : resources.batteryPercent(), batteryTrend(),
                        networkErrors),
                new GatewayStatus.Capabilities(virtualization, architecture(System.getProperty("os.arch")), names,
                        scaling.speed(), scaling.allocationRatio()),
                cloud, peerTrust, replaced, clock.millis());
    }

    private ResourceSnapshot current() {
        ResourceMonitor m = monitor.get();
        try {
            return m == null ? null : m.current();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean reachable(VmDriver d) {
        try {
            return d.status().reachable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The figures the allocation policy uses, defined as the TaaS Resources Manager defines them for its own
     * gateway: capacity = cores (vCPU allocation ratio 1) and the physical memory and storage; reserved = what the
     * hypervisor's VMs reserve; forecast = the peak of the Holt forecast (and its upper bound) over the resource
     * history's horizon (the use now while the history is empty), minus what the VMs use now
     * ({@link VmsUsage#background}): the host's measured use holds the VMs, which already count as reserved.
     */
    GatewayStatus.Headroom headroom(ResourceSnapshot r, Amount driverCapacity, Amount reserved, VmsUsage vms) {
        if (r == null) {
            return new GatewayStatus.Headroom(driverCapacity, reserved, Amount.NONE, Amount.NONE, false);
        }
        double vcpus = Math.max(1, r.cpuCores());
        Amount capacity = new Amount(vcpus, r.memoryTotal() / MIB, r.storageTotal() / MIB);
        Amount now = new Amount(r.cpuLoad() * vcpus, r.memoryUsed() / MIB, r.storageUsed() / MIB);
        ResourceHistory h = history.get();
        // an empty history forecasts 0: the use now stands in until the first sample
        if (h != null && h.series(ResourceKind.CPU).length > 0) {
            try {
                Forecast cpu = h.forecast(ResourceKind.CPU);
                Forecast mem = h.forecast(ResourceKind.MEMORY);
                Forecast disk = h.forecast(ResourceKind.STORAGE);
                Amount point = new Amount(Math.min(vcpus, cpu.peakForecast() * vcpus),
                        mem.peakForecast() / MIB, disk.peakForecast() / MIB);
                Amount upper = new Amount(Math.min(vcpus, Math.max(point.vcpus(), cpu.peakUpper() * vcpus)),
                        Math.max(point.memoryMiB(), mem.peakUpper() / MIB),
                        Math.max(point.storageMiB(), disk.peakUpper() / MIB));
                return new GatewayStatus.Headroom(capacity, reserved, outside(point, vms), outside(upper, vms), true);
            } catch (RuntimeException e) {
                // no forecast yet: fall through to the current use
            }
        }
        Amount background = outside(now, vms);
        return new GatewayStatus.Headroom(capacity, reserved, background, background, false);
    }

    /** The host's use outside its VMs, per resource. */
    static Amount outside(Amount hostUse, VmsUsage vms) {
        return new Amount(vms.vcpusOutside(hostUse.vcpus()), vms.memoryOutside(hostUse.memoryMiB()),
                vms.storageOutside(hostUse.storageMiB()));
    }

    private Double batteryTrend() {
        ResourceHistory h = history.get();
        if (h == null) {
            return null;
        }
        try {
            double[] s = h.series(ResourceKind.BATTERY);
            int last = s.length - 1;
            int first = Math.max(0, s.length - 12);
            while (last > first && Double.isNaN(s[last])) {
                last--;
            }
            while (first < last && Double.isNaN(s[first])) {
                first++;
            }
            if (last <= first || Double.isNaN(s[first]) || Double.isNaN(s[last])) {
                return null;
            }
            double hours = (last - first) * h.interval().toMillis() / 3_600_000.0;
            return (s[last] - s[first]) / hours;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private List<GatewayStatus.VmSummary> vms() {
        VmManager m = vmManager.get();
        if (m == null) {
            return List.of();
        }
        List<GatewayStatus.VmSummary> vms = new ArrayList<>();
        try {
            for (VmInstance v : m.list()) {
                if (v.state() != VmState.DESTROYED) {
                    vms.add(summary(v));
                }
            }
        } catch (RuntimeException e) {
            // the VM Manager is going away: report none this time
        }
        return vms;
    }

    static GatewayStatus.VmSummary summary(VmInstance v) {
        return new GatewayStatus.VmSummary(v.id(), v.template(), v.driver(), v.state().name(), v.vcpus(),
                v.memoryMiB(), v.createdAt() == null ? 0 : v.createdAt().toEpochMilli());
    }

    private static Amount plus(Amount a, Amount b) {
        return new Amount(a.vcpus() + b.vcpus(), a.memoryMiB() + b.memoryMiB(), a.storageMiB() + b.storageMiB());
    }

    @Override
    public PeerReply serve(PeerRequest r, String from) {
        String id = r.correlationId();
        VmManager m = vmManager.get();
        if (PeerRequest.STATUS.equals(r.op())) {
            return new PeerReply(id, true, null, null, status("", Map.of(), List.of(), 0));
        }
        if (m == null) {
            return new PeerReply(id, false, "gateway '" + gatewayId + "' has no VM Manager (feature betaas-taas is"
                    + " not installed)", null, null);
        }
        try {
            switch (r.op() == null ? "" : r.op()) {
                case PeerRequest.DEPLOY -> {
                    String driver = r.driver() != null ? r.driver() : localDriver();
                    VmInstance v = m.deploy(new VmRequest(r.template(), "peer " + from
                            + (r.requester() == null ? "" : " (" + r.requester() + ")")), driver);
                    return new PeerReply(id, true, null, summary(v), null);
                }
                case PeerRequest.STOP -> m.stop(r.vmId());
                case PeerRequest.RESUME -> m.resume(r.vmId());
                case PeerRequest.DESTROY -> m.destroy(r.vmId());
                default -> {
                    return new PeerReply(id, false, "unknown request '" + r.op() + "'", null, null);
                }
            }
            return new PeerReply(id, true, null, m.find(r.vmId()).map(StatusSource::summary).orElse(null), null);
        } catch (VmException | RuntimeException e) {
            return new PeerReply(id, false, "gateway '" + gatewayId + "': " + e.getMessage(), null, null);
        }
    }

    /** Deploys a VM wherever this gateway's TaaS Resources Manager places it. */
    @FunctionalInterface
    interface Redeployer {
        /** The VM deployed, or null when no TaaS Resources Manager is installed. */
        VmInstance deploy(VmRequest request) throws VmException;
    }

    @Override
    public Optional<GatewayStatus.Replacement> replace(GatewayStatus.VmSummary vm, String failedGateway) {
        try {
            VmInstance v = placement.deploy(new VmRequest(vm.template(), "re-placement of " + vm.id()
                    + " from failed gateway " + failedGateway));
            if (v == null) {
                LOG.warn("VM {} of failed gateway '{}' is not re-placed: no TaaS Resources Manager here (feature"
                        + " betaas-taas)", vm.id(), failedGateway);
                return Optional.empty();
            }
            return Optional.of(new GatewayStatus.Replacement(failedGateway, vm.id(), vm.template(),
                    v.location() == null ? gatewayId : v.location(), v.id(), clock.millis()));
        } catch (VmException | RuntimeException e) {
            LOG.warn("VM {} ({}) of failed gateway '{}' could not be re-placed: {}", vm.id(), vm.template(),
                    failedGateway, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public boolean reconcile(GatewayStatus.Replacement r) {
        VmManager m = vmManager.get();
        if (m == null) {
            return false; // not up yet: the peer's next status asks again
        }
        try {
            Optional<VmInstance> stale = m.find(r.vmId());
            if (stale.isPresent() && stale.get().state() != VmState.DESTROYED) {
                LOG.info("VM {} was re-placed on {} as {} while this gateway was away: destroying the stale copy",
                        r.vmId(), r.location(), r.newVmId());
                m.destroy(r.vmId());
            }
            return true;
        } catch (VmException | RuntimeException e) {
            LOG.warn("Stale VM {} (re-placed on {} as {}) could not be destroyed yet: {}", r.vmId(), r.location(),
                    r.newVmId(), e.getMessage());
            return false;
        }
    }

    private String localDriver() {
        for (VmDriver d : drivers.get()) {
            if (!CLOUD_DRIVER.equals(d.name()) && reachable(d)) {
                return d.name();
            }
        }
        return "libvirt";
    }
}
