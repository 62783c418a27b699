package org.betaas.service.instance.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.placement.GatewayCandidate;
import org.junit.Test;

public class CandidatesTest {

    @Test
    public void aPeersStatusBecomesTheAllocationPolicysCandidate() {
        GatewayStatus s = new GatewayStatus("gw-2", "0.1.0", true, "s",
                new GatewayStatus.Resources(8, 0.5, 16L << 30, 4L << 30, 100L << 30, 10L << 30, null),
                new GatewayStatus.Headroom(new GatewayStatus.Amount(8, 15000, 90000),
                        new GatewayStatus.Amount(2, 512, 1024), new GatewayStatus.Amount(4, 4096, 10240),
                        new GatewayStatus.Amount(5, 5000, 11000), true),
                List.of(new GatewayStatus.VmSummary("vm-1", "tiny", "libvirt", "RUNNING", 1, 96, 0)),
                null, new GatewayStatus.Capabilities(true, "aarch64", List.of("libvirt")), false, Map.of(),
                List.of(), 1);
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-2", false, true, false, 0.7, 1, 0, s),
                new CpuScaling(1, 1));
        assertEquals("gw-2", c.gatewayId());
        assertEquals("aarch64", c.architecture());
        assertTrue(c.virtualization());
        assertEquals(0.7, c.trust(), 0);
        assertEquals(8, c.power(), 0);
        assertEquals(1, c.vmsRunning());
        assertEquals(new GatewayCandidate.Resources(1, 9488, 77976), c.available());
        // both sides compute the same availability
        GatewayStatus.Amount a = s.headroom().available();
        assertEquals(new GatewayCandidate.Resources(a.vcpus(), a.memoryMiB(), a.storageMiB()), c.available());
    }

    @Test
    public void aPeerThatReportedNoResourcesOffersNothing() {
        GatewayStatus s = new GatewayStatus("gw-3", "0.1.0", true, "s", null, null, List.of(), null, null, false,
                Map.of(), List.of(), 1);
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-3", false, true, false, 1, 1, 0, s),
                CpuScaling.DEFAULTS);
        assertEquals(GatewayCandidate.Resources.NONE, c.available());
        assertEquals(false, c.virtualization());
    }

    /** A 4-core peer using 1.5 cores now (upper 2), its VMs reserving 2 vCPUs. */
    private static GatewayStatus fourCores(GatewayStatus.Capabilities caps, List<GatewayStatus.VmSummary> vms) {
        return new GatewayStatus("gw-2", "0.1.0", true, "s",
                new GatewayStatus.Resources(4, 0.375, 8L << 30, 2L << 30, 100L << 30, 10L << 30, null),
                new GatewayStatus.Headroom(new GatewayStatus.Amount(4, 8192, 102400),
                        new GatewayStatus.Amount(2, 256, 0), new GatewayStatus.Amount(1.5, 2048, 10240),
                        new GatewayStatus.Amount(2, 2300, 10300), true),
                vms, null, caps, false, Map.of(), List.of(), 1);
    }

    @Test
    public void aPeersCapacityAndPowerAreScaledByTheFiguresItReportsAsTheLocalGatewaysAre() {
        // the peer's placement: cpu.allocation.ratio = 2, cpu.speed = 0.5 (an ARM board); this gateway: 4 and 1
        GatewayStatus s = fourCores(new GatewayStatus.Capabilities(true, "aarch64", List.of("libvirt"), 0.5, 2.0),
                List.of());
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-2", false, true, false, 1, 1, 0, s),
                CpuScaling.DEFAULTS);
        // as TaasResourcesManagerComponent.localCandidate on the peer: vCPUs = cores x ratio, power = cores x speed
        assertEquals(new GatewayCandidate.Resources(8, 8192, 102400), c.capacity());
        assertEquals(2.0, c.power(), 1e-9);
        // the forecast use counts physical cores, unscaled: 8 - 2 reserved - 2 upper
        assertEquals(4, c.available().vcpus(), 1e-9);
        assertEquals(8192 - 256 - 2300, c.available().memoryMiB(), 1e-9);
    }

    @Test
    public void aPeerThatDoesNotReportItsFiguresIsScaledByThisGatewaysOwn() {
        GatewayStatus s = fourCores(new GatewayStatus.Capabilities(true, "x86_64", List.of("libvirt")), List.of());
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-2", false, true, false, 1, 1, 0, s),
                new CpuScaling(3, 2));
        assertEquals(12, c.capacity().vcpus(), 1e-9);
        assertEquals(8, c.power(), 1e-9);
        assertEquals(8, c.available().vcpus(), 1e-9);
    }

    @Test
    public void reportedFiguresOutsideThePlacementRangesAreReplacedByThisGatewaysOwn() {
        GatewayStatus s = fourCores(new GatewayStatus.Capabilities(true, "x86_64", List.of("libvirt"), 1000.0, 0.0),
                List.of());
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-2", false, true, false, 1, 1, 0, s),
                CpuScaling.DEFAULTS);
        assertEquals(16, c.capacity().vcpus(), 1e-9);
        assertEquals(4, c.power(), 1e-9);
    }

    @Test
    public void onlyActiveVmsOnThePeersOwnHypervisorCountAsRunningThere() {
        GatewayStatus s = fourCores(new GatewayStatus.Capabilities(true, "x86_64", List.of("libvirt")), List.of(
                new GatewayStatus.VmSummary("a", "t", "libvirt", "RUNNING", 1, 128, 0),
                new GatewayStatus.VmSummary("b", "t", "libvirt", "STOPPED", 1, 128, 0),
                new GatewayStatus.VmSummary("c", "t", "libvirt", "VANISHED", 1, 128, 0),
                new GatewayStatus.VmSummary("d", "t", "openstack", "RUNNING", 1, 128, 0)));
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-2", false, true, false, 1, 1, 0, s),
                CpuScaling.DEFAULTS);
        assertEquals(2, c.vmsRunning());
    }

    @Test
    public void thePlacementConfigurationIsReadWithTheManagersDefaultsAndRanges() {
        assertEquals(CpuScaling.DEFAULTS, CpuScaling.of(null));
        java.util.Hashtable<String, Object> d = new java.util.Hashtable<>();
        d.put(CpuScaling.RATIO_KEY, "2.5");
        d.put(CpuScaling.SPEED_KEY, 0.5);
        assertEquals(new CpuScaling(2.5, 0.5), CpuScaling.of(d));
        d.put(CpuScaling.RATIO_KEY, "lots");
        d.put(CpuScaling.SPEED_KEY, "500");
        assertEquals(CpuScaling.DEFAULTS, CpuScaling.of(d));
    }

    @Test
    public void javaArchitectureNamesAreTheTemplatesNames() {
        assertEquals("x86_64", StatusSource.architecture("amd64"));
        assertEquals("aarch64", StatusSource.architecture("aarch64"));
        assertEquals("riscv64", StatusSource.architecture("riscv64"));
    }
}
