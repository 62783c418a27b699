package org.betaas.benchmarks.placement;

import java.util.List;

import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.taas.resources.placement.PlacementRequest;
import org.betaas.taas.resources.placement.RemoteCloud;

/**
 * The classic placements the BETaaS policy is compared with. They see each gateway's current use (no forecast),
 * use any gateway that fits, and go to the remote cloud only when none does (local first, like BETaaS).
 */
enum BaselinePolicy implements Placer {
    /** The first gateway, in a fixed order, that fits. */
    FIRST_FIT("first-fit"),
    /** The gateway with the most free memory: OpenStack Nova's default RAM weigher (worst-fit). */
    SPREAD("spread"),
    /** The gateway with the least free memory that still fits (tightest packing). */
    BEST_FIT("best-fit");

    private final String label;

    BaselinePolicy(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    @Override
    public boolean usesForecasts() {
        return false;
    }

    @Override
    public PlacementDecision decide(PlacementRequest request, List<GatewayCandidate> gateways,
                                    List<RemoteCloud> clouds) {
        Resources need = PlacementRequest.demand(request.template());
        GatewayCandidate chosen = null;
        double chosenFree = 0;
        for (GatewayCandidate g : gateways) {
            Resources free = g.available();
            if (!g.virtualization() || !free.holds(need)) {
                continue;
            }
            if (this == FIRST_FIT) {
                chosen = g;
                break;
            }
            boolean better = chosen == null
                    || (this == SPREAD ? free.memoryMiB() > chosenFree : free.memoryMiB() < chosenFree);
            if (better) {
                chosen = g;
                chosenFree = free.memoryMiB();
            }
        }
        if (chosen != null) {
            return new PlacementDecision.Local(chosen.gatewayId(), List.of(label));
        }
        for (RemoteCloud c : clouds) {
            if (c.configured() && c.reachable() && c.vmsInUse() < c.vmLimit()) {
                return new PlacementDecision.Remote(c.name(), List.of(label));
            }
        }
        return new PlacementDecision.Rejected(label + ": no room", List.of(label));
    }
}
