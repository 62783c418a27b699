package org.betaas.api.placement;

import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmRequest;

/** Decides where a VM goes (this gateway, a peer, the remote cloud) and has it deployed there. */
public interface TaasResourcesManager {

    /** The decision for this request, without deploying anything. */
    PlacementDecision place(VmRequest request);

    /** Places the request and deploys the VM where decided, falling back as the allocation rules say. */
    VmInstance deploy(VmRequest request) throws VmException;
}
