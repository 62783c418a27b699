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
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-2", false, true, false, 0.7, 1, 0, s));
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
        GatewayCandidate c = Candidates.of(new PeerGateway("gw-3", false, true, false, 1, 1, 0, s));
        assertEquals(GatewayCandidate.Resources.NONE, c.available());
        assertEquals(false, c.virtualization());
    }

    @Test
    public void javaArchitectureNamesAreTheTemplatesNames() {
        assertEquals("x86_64", StatusSource.architecture("amd64"));
        assertEquals("aarch64", StatusSource.architecture("aarch64"));
        assertEquals("riscv64", StatusSource.architecture("riscv64"));
    }
}
