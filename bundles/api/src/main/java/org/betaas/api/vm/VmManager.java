package org.betaas.api.vm;

import java.util.List;
import java.util.Optional;

/** The TaaS layer's VM Manager: VMs of this gateway, on its drivers, with persisted records. */
public interface VmManager {

    /** Deploys a template on the named driver of this gateway, without placement. */
    VmInstance deploy(VmRequest request, String driver) throws VmException;

    /**
     * Like {@link #deploy(VmRequest, String)}, handing the VM a local file it reads at boot (an application payload,
     * e.g. a web application); {@code null} for none.
     */
    default VmInstance deploy(VmRequest request, String driver, java.nio.file.Path payload) throws VmException {
        if (payload != null) {
            throw new VmException("this VM Manager cannot hand an application payload to a VM");
        }
        return deploy(request, driver);
    }

    List<VmInstance> list();

    Optional<VmInstance> find(String vmId);

    void stop(String vmId) throws VmException;

    void resume(String vmId) throws VmException;

    void destroy(String vmId) throws VmException;

    /** CPU and memory use of one VM as its driver reports it; empty when the driver cannot tell. */
    default Optional<VmStats> stats(String vmId) throws VmException {
        return Optional.empty();
    }
}
