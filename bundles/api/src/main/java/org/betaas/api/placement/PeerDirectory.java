package org.betaas.api.placement;

import java.util.List;

import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmRequest;

/**
 * The other gateways of the instance that may host a VM, as the Instance Manager knows them; the TaaS
 * Resources Manager works without one (this gateway only).
 */
public interface PeerDirectory {

    /** The peers' current views (this gateway excluded), with their forecasts; empty when alone. */
    List<GatewayCandidate> peers();

    /** Asks the peer's VM Manager to deploy the request there (over the instance bus). */
    VmInstance deployOn(String gatewayId, VmRequest request) throws VmException;
}
