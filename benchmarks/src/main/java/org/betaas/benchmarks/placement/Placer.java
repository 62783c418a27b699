package org.betaas.benchmarks.placement;

import java.util.List;

import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.taas.resources.placement.PlacementRequest;
import org.betaas.taas.resources.placement.RemoteCloud;

/** A placement policy under simulation: the BETaaS one or a baseline. */
@FunctionalInterface
interface Placer {

    PlacementDecision decide(PlacementRequest request, List<GatewayCandidate> gateways, List<RemoteCloud> clouds);

    /** Whether the policy uses forecasts (the simulator fits them only then); baselines see the current load. */
    default boolean usesForecasts() {
        return true;
    }
}
