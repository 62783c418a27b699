package org.betaas.api.vm;

import java.util.List;
import java.util.Optional;

/** The TaaS layer's VM Manager: VMs of this gateway, on its drivers, with persisted records. */
public interface VmManager {

    /** Deploys a template on the named driver of this gateway, without placement. */
    VmInstance deploy(VmRequest request, String driver) throws VmException;

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
