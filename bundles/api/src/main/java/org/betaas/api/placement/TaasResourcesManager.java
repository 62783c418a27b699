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

    /**
     * Like {@link #deploy(VmRequest)}, handing the VM a local file it reads at boot (an application payload, e.g. a
     * web application); {@code null} for none. The file is on this gateway, so such a VM runs on this gateway's
     * hypervisor (peers and the remote cloud cannot receive it).
     */
    default VmInstance deploy(VmRequest request, java.nio.file.Path payload) throws VmException {
        if (payload != null) {
            throw new VmException("this TaaS Resources Manager cannot hand an application payload to a VM");
        }
        return deploy(request);
    }
}
