package org.betaas.service.instance.internal;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.placement.GatewayCandidate;

/** A peer as the allocation policy sees it. */
final class Candidates {

    private Candidates() {
    }

    /** Power is the number of cores (relative core speed 1: gateways of one instance are alike). */
    static GatewayCandidate of(PeerGateway p) {
        GatewayStatus s = p.status();
        GatewayStatus.Capabilities caps = s.capabilities();
        GatewayStatus.Headroom h = s.headroom();
        return new GatewayCandidate(p.gatewayId(), caps == null ? "" : caps.architecture(),
                caps != null && caps.virtualization(), p.trust(),
                s.resources() == null ? 0 : s.resources().cpuCores(), s.vms().size(),
                h == null ? GatewayCandidate.Resources.NONE : resources(h.capacity()),
                h == null ? GatewayCandidate.Resources.NONE : resources(h.reserved()),
                h == null ? GatewayCandidate.Resources.NONE : resources(h.forecast()),
                h == null ? GatewayCandidate.Resources.NONE : resources(h.forecastUpper()));
    }

    private static GatewayCandidate.Resources resources(GatewayStatus.Amount a) {
        return a == null ? GatewayCandidate.Resources.NONE
                : new GatewayCandidate.Resources(a.vcpus(), a.memoryMiB(), a.storageMiB());
    }
}
