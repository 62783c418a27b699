package org.betaas.taas.resources.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.betaas.api.instance.GatewayIdentity;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.resources.VmReservation;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;
import org.betaas.api.vm.VmsUsage;
import org.betaas.api.placement.GatewayCandidate;
import org.junit.Test;

public class TaasResourcesManagerComponentTest {

    private static final long GIB = 1L << 30;
    static final VmTemplate STORAGE = new VmTemplate("bigdata-storage", VmKind.BIGDATA_STORAGE, 1, 512, 2048,
            Set.of(TaasResourcesManagerComponent.architecture()), "storage.img", VmWeight.LIGHT);
    static final VmTemplate COMPUTE = new VmTemplate("bigdata-compute", VmKind.BIGDATA_COMPUTE, 2, 1024, 2048,
            Set.of(TaasResourcesManagerComponent.architecture()), "compute.img", VmWeight.HEAVY);

    static PlacementConfiguration config(int remoteLimit) {
        return new PlacementConfiguration() {
            public Class<? extends Annotation> annotationType() { return PlacementConfiguration.class; }
            public double trust_threshold() { return 0.5; }
            public double powerful_power() { return 4.0; }
            public double shortage_level() { return 0.2; }
            public double cpu_allocation_ratio() { return 4.0; }
            public double cpu_speed() { return 1.0; }
            public int remote_vmLimit() { return remoteLimit; }
        };
    }

    static final class Registry implements TemplateRegistry {
        public List<VmTemplate> templates() { return List.of(STORAGE, COMPUTE); }
        public Optional<VmTemplate> find(String name) {
            return templates().stream().filter(t -> t.name().equals(name)).findFirst();
        }
        public List<String> problems() { return List.of(); }
    }

    static final class Driver implements VmDriver {
        final String name;
        final boolean reachable;
        Driver(String name, boolean reachable) { this.name = name; this.reachable = reachable; }
        public String name() { return name; }
        public DriverStatus status() { return new DriverStatus(reachable, name + "://fake", reachable ? "fake" : "down"); }
        public HostCapacity capacity() { return new HostCapacity(8, 16384, 100_000, 0, 0, 0); }
        public VmInstance deploy(VmTemplate template, String vmId) { throw new UnsupportedOperationException(); }
        public List<VmInstance> list() { return List.of(); }
        public void stop(String vmId) { }
        public void resume(String vmId) { }
        public void destroy(String vmId) { }
    }

    /** A hypervisor whose VMs reserve 6 GiB and 20 GiB of disk, and use 5.5 GiB resident, 1.5 cores, 8 GiB on disk. */
    static final class BusyDriver implements VmDriver {
        public String name() { return "libvirt"; }
        public DriverStatus status() { return new DriverStatus(true, "libvirt://fake", "fake"); }
        public HostCapacity capacity() { return new HostCapacity(8, 8192, 100 * 1024, 4, 6 * 1024, 20 * 1024); }
        @Override public VmsUsage usage() { return new VmsUsage(1.5, 5632, 8 * 1024); }
        public VmInstance deploy(VmTemplate template, String vmId) { throw new UnsupportedOperationException(); }
        public List<VmInstance> list() { return List.of(); }
        public void stop(String vmId) { }
        public void resume(String vmId) { }
        public void destroy(String vmId) { }
    }

    static final class Manager implements VmManager {
        final List<String> attempts = new ArrayList<>();
        final Set<String> failing;
        Manager(String... failing) { this.failing = Set.of(failing); }
        public VmInstance deploy(VmRequest request, String driver) throws VmException {
            attempts.add(driver);
            if (failing.contains(driver)) {
                throw new VmException(driver + " refused");
            }
            return new VmInstance("vm-1", request.template(), driver, driver, VmState.RUNNING, Instant.now(), 1, 512);
        }
        public List<VmInstance> list() { return List.of(); }
        public Optional<VmInstance> find(String vmId) { return Optional.empty(); }
        public void stop(String vmId) { }
        public void resume(String vmId) { }
        public void destroy(String vmId) { }
    }

    /** The settings {@link #config} gives. */
    private static PlacementSettings settings() {
        return PlacementSettings.parse(0.5, 4.0, 0.2, 4.0, 1.0, 4);
    }

    private static TaasResourcesManagerComponent component(int cores, long memoryGiB, int remoteLimit) {
        return component(cores, memoryGiB, remoteLimit, 0.1);
    }

    private static TaasResourcesManagerComponent component(int cores, long memoryGiB, int remoteLimit,
            double cpuLoad) {
        LocalGateway gw = new LocalGateway() {
            public GatewayIdentity identity() { return new GatewayIdentity("gw-test", "home", "0"); }
            public List<String> configurationProblems() { return List.of(); }
        };
        ResourceSnapshot snapshot = new ResourceSnapshot(Instant.now(), cores, cpuLoad, memoryGiB * GIB, GIB,
                100 * GIB, 10 * GIB, OptionalDouble.empty());
        TaasResourcesManagerComponent c = new TaasResourcesManagerComponent(() -> snapshot, config(remoteLimit));
        c.gateway = gw;
        return c;
    }

    @Test
    public void withoutAVmManagerThePlacementSaysSo() {
        PlacementDecision d = component(4, 8, 4).place(new VmRequest("bigdata-storage", "test"));
        assertTrue(d instanceof PlacementDecision.Rejected);
        assertTrue(d.reasons().toString(), ((PlacementDecision.Rejected) d).reason().contains("no VM Manager installed"));
    }

    @Test
    public void anUnknownTemplateIsNamedWithTheKnownOnes() {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        c.templates = new Registry();
        PlacementDecision d = c.place(new VmRequest("nosuch", "test"));
        assertEquals("unknown template 'nosuch': use one of [bigdata-compute, bigdata-storage]",
                ((PlacementDecision.Rejected) d).reason());
    }

    @Test
    public void aRejectionForWantOfAHypervisorSaysWhyItIsOutOfReach() {
        TaasResourcesManagerComponent c = component(4, 8, 0);
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", false);
        PlacementDecision d = c.place(new VmRequest("bigdata-storage", "shell"));
        assertTrue(d.reasons().toString(), d instanceof PlacementDecision.Rejected);
        assertTrue(((PlacementDecision.Rejected) d).reason(), ((PlacementDecision.Rejected) d).reason()
                .endsWith(" (this gateway's hypervisor is not reachable: down)"));
    }

    @Test
    public void thisGatewayHostsWhatFitsAndTheReasonsSayWhy() {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", true);
        PlacementDecision d = c.place(new VmRequest("bigdata-storage", "shell"));
        assertTrue(d.reasons().toString(), d instanceof PlacementDecision.Local);
        assertEquals("gw-test", ((PlacementDecision.Local) d).gatewayId());
        assertTrue(d.reasons().toString(), d.reasons().stream().anyMatch(r -> r.startsWith("gw-test: kept")));
        assertTrue(d.reasons().toString(), d.reasons().stream().anyMatch(r -> r.contains("no resource history yet")));
    }

    /** A history of {@code samples} CPU samples whose forecast peaks at {@code point} (upper {@code upper}). */
    private static ResourceHistory history(int samples, double point, double upper) {
        return new ResourceHistory() {
            public Duration interval() { return Duration.ofSeconds(60); }
            public double[] series(ResourceKind kind) { return new double[samples]; }
            public double[] series(VmReservation reservation) { return new double[samples]; }
            public Forecast forecast(ResourceKind kind) {
                double p = kind == ResourceKind.CPU ? point : GIB;
                double u = kind == ResourceKind.CPU ? upper : GIB;
                List<Double> points = List.of(p, p, p, p, p);
                return new Forecast(0.5, 0.1, 0, p, 0, points, points, List.of(u, u, u, u, u));
            }
        };
    }

    @Test
    public void theForecastCountsEvenBelowTheUseNowAndTheCurrentUseOnlyWithoutHistory() {
        // 4 cores all busy now, but Holt sees the load falling to a quarter (upper bound: half)
        TaasResourcesManagerComponent c = component(4, 8, 4, 1.0);
        c.hypervisor = new Driver("libvirt", true);
        c.history = history(30, 0.25, 0.5);
        List<String> context = new ArrayList<>();
        GatewayCandidate self = c.localCandidate(settings(), context);
        assertEquals(1.0, self.forecast().vcpus(), 1e-9);
        assertEquals(2.0, self.forecastUpper().vcpus(), 1e-9);
        assertTrue(context.toString(), context.stream().anyMatch(r -> r.contains("Holt forecast over the next 5 min (5 samples of 60 s")));

        c.history = history(0, 0.25, 0.5); // nothing sampled yet: Holt would forecast 0
        context.clear();
        self = c.localCandidate(settings(), context);
        assertEquals(4.0, self.forecast().vcpus(), 1e-9);
        assertTrue(context.toString(), context.stream().anyMatch(r -> r.contains("no resource history yet")));
    }

    @Test
    public void aBusyHostStillOffersTheVcpusItsAllocationRatioAllows() {
        // 4 cores all busy are 4 cores in use, not all 4 x ratio vCPUs: what the ratio adds is still free
        TaasResourcesManagerComponent c = component(4, 8, 4, 1.0);
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", true);
        PlacementDecision d = c.place(new VmRequest("bigdata-storage", "shell"));
        assertTrue(d.reasons().toString(), d instanceof PlacementDecision.Local);
    }

    @Test
    public void runningVmsCountOnceAsReservedNotAgainInTheForecast() {
        // 4 cores with 2 busy, 8 GiB with 7 GiB used, 100 GiB disk with 30 GiB used: the host's figures include
        // its VMs, which reserve 6 GiB and 20 GiB and use 5.5 GiB, 1.5 cores and 8 GiB of disk
        ResourceSnapshot snapshot = new ResourceSnapshot(Instant.now(), 4, 0.5, 8 * GIB, 7 * GIB, 100 * GIB,
                30 * GIB, OptionalDouble.empty());
        TaasResourcesManagerComponent c = new TaasResourcesManagerComponent(() -> snapshot, config(4));
        c.templates = new Registry();
        c.hypervisor = new BusyDriver();
        List<String> context = new ArrayList<>();
        GatewayCandidate self = c.localCandidate(settings(), context);
        assertEquals(6 * 1024, self.reserved().memoryMiB(), 0);
        assertEquals(0.5, self.forecastUpper().vcpus(), 1e-9);
        assertEquals(7 * 1024 - 5632, self.forecastUpper().memoryMiB(), 1e-9);
        assertEquals(22 * 1024, self.forecastUpper().storageMiB(), 1e-9);
        assertEquals(self.forecastUpper(), self.forecast());
        // 8 GiB - 6 GiB reserved - 1.5 GiB outside the VMs: 512 MiB free (it was 8 - 6 - 7 < 0 before)
        assertEquals(512, self.available().memoryMiB(), 1e-9);
        assertTrue(context.toString(), context.stream().anyMatch(l -> l.contains(
                "host use minus its VMs' own use (1.50 cores, 5632 MiB memory, 8192 MiB storage)")));
        PlacementDecision d = c.place(new VmRequest("bigdata-storage", "shell"));
        assertTrue(d.reasons().toString(), d instanceof PlacementDecision.Local);
    }

    @Test
    public void aDriverThatCannotTellItsVmsUseLeavesTheHostUse() {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        c.hypervisor = new Driver("libvirt", true);
        List<String> context = new ArrayList<>();
        GatewayCandidate self = c.localCandidate(settings(), context);
        assertEquals(1024, self.forecastUpper().memoryMiB(), 1e-9);
        assertEquals(10 * 1024, self.forecastUpper().storageMiB(), 1e-9);
        assertTrue(context.toString(), context.stream().noneMatch(l -> l.contains("minus its VMs")));
    }

    @Test
    public void withoutAHypervisorNothingRunsLocally() {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        c.templates = new Registry();
        PlacementDecision d = c.place(new VmRequest("bigdata-storage", "shell"));
        assertTrue(d instanceof PlacementDecision.Rejected);
        assertTrue(d.reasons().toString(), d.reasons().stream().anyMatch(r -> r.startsWith("gw-test: dropped [not-capable]")));
    }

    @Test
    public void deployUsesThisGatewaysVmManagerOnLibvirt() throws Exception {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        Manager manager = new Manager();
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", true);
        c.vmManager = manager;
        VmInstance vm = c.deploy(new VmRequest("bigdata-storage", "shell"));
        assertEquals("libvirt", vm.driver());
        assertEquals(List.of("libvirt"), manager.attempts);
    }

    @Test
    public void aFailedLocalDeployFallsBackToTheRemoteCloud() throws Exception {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        Manager manager = new Manager("libvirt");
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", true);
        c.cloud = new Driver("openstack", true);
        c.vmManager = manager;
        VmInstance vm = c.deploy(new VmRequest("bigdata-storage", "shell"));
        assertEquals("openstack", vm.driver());
        assertEquals(List.of("libvirt", "openstack"), manager.attempts);
    }

    @Test
    public void whenEveryTargetFailsTheErrorNamesEachFailure() {
        TaasResourcesManagerComponent c = component(4, 8, 4);
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", true);
        c.cloud = new Driver("openstack", true);
        c.vmManager = new Manager("libvirt", "openstack");
        try {
            c.deploy(new VmRequest("bigdata-storage", "shell"));
            fail("deployed although every target fails");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("deploying on gw-test failed: libvirt refused"));
            assertTrue(e.getMessage(), e.getMessage().contains("deploying on openstack failed: openstack refused"));
            assertTrue(e.getMessage(), e.getMessage().contains("; nowhere else can take it instead: "));
        }
    }

    @Test
    public void aComputationNodeOnASmallGatewayGoesToAReachableCloud() throws Exception {
        TaasResourcesManagerComponent c = component(2, 8, 4); // power 2 < 4: not powerful
        Manager manager = new Manager();
        c.templates = new Registry();
        c.hypervisor = new Driver("libvirt", true);
        c.cloud = new Driver("openstack", true);
        c.vmManager = manager;
        PlacementDecision d = c.place(new VmRequest("bigdata-compute", "shell"));
        assertTrue(d.reasons().toString(), d instanceof PlacementDecision.Remote);
        assertEquals("openstack", c.deploy(new VmRequest("bigdata-compute", "shell")).driver());
        // the cloud unreachable: it stays here
        c.cloud = new Driver("openstack", false);
        assertTrue(c.place(new VmRequest("bigdata-compute", "shell")) instanceof PlacementDecision.Local);
    }
}
