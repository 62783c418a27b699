package org.betaas.service.instance.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.GatewayStatus.Amount;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.resources.VmReservation;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmsUsage;
import org.junit.Test;

/** What this gateway publishes to its peers as the figures of its candidacy. */
public class StatusSourceTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** 4 cores half busy, 8 GiB with 7 GiB used, 100 GiB of disk with 30 GiB used: all of it with its VMs. */
    private static final ResourceSnapshot HOST = new ResourceSnapshot(Instant.now(), 4, 0.5, 8 * GIB, 7 * GIB,
            100 * GIB, 30 * GIB, OptionalDouble.empty());

    /** VMs reserving 6 GiB and 20 GiB of disk, using 1.5 cores, 5.5 GiB resident and 8 GiB on disk. */
    static final class Hypervisor implements VmDriver {
        final VmsUsage usage;
        Hypervisor(VmsUsage usage) { this.usage = usage; }
        public String name() { return "libvirt"; }
        public DriverStatus status() { return new DriverStatus(true, "test://", "fake"); }
        public HostCapacity capacity() { return new HostCapacity(4, 8192, 100 * 1024, 4, 6 * 1024, 20 * 1024); }
        @Override public VmsUsage usage() { return usage; }
        public VmInstance deploy(VmTemplate template, String vmId) { throw new UnsupportedOperationException(); }
        public List<VmInstance> list() { return List.of(); }
        public void stop(String vmId) { }
        public void resume(String vmId) { }
        public void destroy(String vmId) { }
    }

    /** A history whose forecast peaks at 7.5 GiB memory (upper 8 GiB), 40 GiB disk (upper 50 GiB), CPU 0.5 (0.75). */
    static final ResourceHistory HISTORY = history(10, 0.5, 0.75);

    /** {@code samples} samples; a forecast peaking at 7.5 GiB memory (upper 8), 40 GiB disk (upper 50), the CPU given. */
    static ResourceHistory history(int samples, double cpu, double cpuUpper) {
        return new ResourceHistory() {
            public Duration interval() { return Duration.ofSeconds(60); }
            public double[] series(ResourceKind kind) { return new double[samples]; }
            public double[] series(VmReservation reservation) { return new double[samples]; }
            public Forecast forecast(ResourceKind kind) {
                return switch (kind) {
                    case MEMORY -> forecast(7.5 * GIB, 8.0 * GIB);
                    case STORAGE -> forecast(40.0 * GIB, 50.0 * GIB);
                    default -> forecast(cpu, cpuUpper);
                };
            }
            private Forecast forecast(double point, double upper) {
                return new Forecast(0.5, 0.1, 0, point, 0, List.of(point), List.of(point), List.of(upper));
            }
        };
    }

    private static StatusSource source(VmDriver driver, ResourceHistory history) {
        return new StatusSource("gw-a", "1", () -> () -> HOST, () -> history, () -> null, () -> List.of(driver),
                request -> null, () -> new CpuScaling(1.0, 1.0), Clock.systemUTC());
    }

    private static GatewayStatus.Headroom published(VmDriver driver, ResourceHistory history) {
        return source(driver, history).status("", Map.of(), List.of(), 0).headroom();
    }

    @Test
    public void theCurrentUsePublishedIsTheUseOutsideTheVms() {
        GatewayStatus.Headroom h = published(new Hypervisor(new VmsUsage(1.5, 5632, 8 * 1024)), null);
        assertFalse(h.forecastBased());
        assertEquals(new Amount(4, 6 * 1024, 20 * 1024), h.reserved());
        assertEquals(new Amount(0.5, 7 * 1024 - 5632, 22 * 1024), h.forecast());
        assertEquals(h.forecast(), h.forecastUpper());
    }

    @Test
    public void theForecastAndItsUpperBoundAreTakenOutsideTheVms() {
        GatewayStatus.Headroom h = published(new Hypervisor(new VmsUsage(1.5, 5632, 8 * 1024)), HISTORY);
        assertTrue(h.forecastBased());
        assertEquals(new Amount(2.0 - 1.5, 7.5 * 1024 - 5632, 40 * 1024 - 8 * 1024), h.forecast());
        assertEquals(new Amount(3.0 - 1.5, 8 * 1024 - 5632, 50 * 1024 - 8 * 1024), h.forecastUpper());
        // a peer now sees 8 GiB - 6 GiB reserved - 2 GiB point forecast = 0 MiB free at the point forecast, not
        // 8 - 6 - 7.5 < 0 with the VMs' 5.5 GiB counted twice
    }

    @Test
    public void aForecastBelowTheUseNowIsPublishedAndAnEmptyHistoryPublishesTheUseNow() {
        // 2 of 4 cores busy now; Holt sees the load falling to a quarter of the cores (upper bound 0.3)
        GatewayStatus.Headroom h = published(new Hypervisor(VmsUsage.NONE), history(10, 0.25, 0.3));
        assertEquals(1.0, h.forecast().vcpus(), 1e-9);
        assertEquals(1.2, h.forecastUpper().vcpus(), 1e-9);
        GatewayStatus.Headroom empty = published(new Hypervisor(VmsUsage.NONE), history(0, 0.25, 0.3));
        assertFalse(empty.forecastBased());
        assertEquals(2.0, empty.forecast().vcpus(), 1e-9);
    }

    @Test
    public void aDriverThatCannotTellPublishesTheHostUse() {
        GatewayStatus.Headroom h = published(new Hypervisor(VmsUsage.NONE), null);
        assertEquals(new Amount(2.0, 7 * 1024, 30 * 1024), h.forecast());
    }

    @Test
    public void vmsUsingMoreThanTheHostMeasuredLeaveNoNegativeUse() {
        GatewayStatus.Headroom h = published(new Hypervisor(new VmsUsage(3, 9000, 40 * 1024)), null);
        assertEquals(Amount.NONE, h.forecast());
        assertEquals(HOST.memoryTotal() / MIB, h.capacity().memoryMiB(), 0);
    }
}
