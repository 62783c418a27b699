package org.betaas.service.instance.internal;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.placement.GatewayCandidate;

/**
 * A peer as the allocation policy sees it, scaled as the TaaS Resources Manager scales its own gateway: the vCPUs
 * it offers are its cores × its CPU allocation ratio, its power is its cores × its core speed (the figures the peer
 * reports, else this gateway's). Memory, storage, what its VMs reserve and its forecast use are taken as reported.
 */
final class Candidates {

    private Candidates() {
    }

    static GatewayCandidate of(PeerGateway p, CpuScaling local) {
        GatewayStatus s = p.status();
        GatewayStatus.Capabilities caps = s.capabilities();
        GatewayStatus.Headroom h = s.headroom();
        CpuScaling scaling = caps == null ? local
                : CpuScaling.ofPeer(caps.cpuAllocationRatio(), caps.cpuSpeed(), local);
        int cores = s.resources() == null ? 0 : s.resources().cpuCores();
        GatewayCandidate.Resources capacity = GatewayCandidate.Resources.NONE;
        if (h != null && h.capacity() != null) {
            // published as cores (ratio 1): scale what can be handed out to VMs, not the forecast use of the cores
            GatewayStatus.Amount a = h.capacity();
            capacity = new GatewayCandidate.Resources(a.vcpus() * scaling.allocationRatio(), a.memoryMiB(),
                    a.storageMiB());
        }
        return new GatewayCandidate(p.gatewayId(), caps == null ? "" : caps.architecture(),
                caps != null && caps.virtualization(), p.trust(), cores * scaling.speed(), hosted(s),
                capacity,
                h == null ? GatewayCandidate.Resources.NONE : resources(h.reserved()),
                h == null ? GatewayCandidate.Resources.NONE : resources(h.forecast()),
                h == null ? GatewayCandidate.Resources.NONE : resources(h.forecastUpper()));
    }

    /** VMs it runs on its own hypervisor, counted as the TaaS Resources Manager counts its own. */
    private static int hosted(GatewayStatus s) {
        int n = 0;
        for (GatewayStatus.VmSummary v : s.vms()) {
            boolean active = !"DESTROYED".equals(v.state()) && !"VANISHED".equals(v.state())
                    && !"FAILED".equals(v.state());
            if (active && !StatusSource.CLOUD_DRIVER.equals(v.driver())) {
                n++;
            }
        }
        return n;
    }

    private static GatewayCandidate.Resources resources(GatewayStatus.Amount a) {
        return a == null ? GatewayCandidate.Resources.NONE
                : new GatewayCandidate.Resources(a.vcpus(), a.memoryMiB(), a.storageMiB());
    }
}
