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

    /**
     * The application payload the VM was deployed with ({@link #deploy(VmRequest, String, java.nio.file.Path)}),
     * while that file still exists; empty for a VM without one. A VM re-placed from its template needs it again.
     */
    default Optional<java.nio.file.Path> payload(String vmId) {
        return Optional.empty();
    }

    /**
     * Records that {@code newId} stands for {@code oldId} from now on (a re-placement), so that whoever holds
     * {@code oldId} (an app's service VM) finds the replacement through {@link #current(String)}.
     */
    default void replaced(String oldId, String newId) throws VmException {
        throw new VmException("this VM Manager does not record re-placements");
    }

    /** The VM that stands for {@code vmId} now: its latest replacement, or {@code vmId} itself. */
    default String current(String vmId) {
        return vmId;
    }

    /** CPU and memory use of one VM as its driver reports it; empty when the driver cannot tell. */
    default Optional<VmStats> stats(String vmId) throws VmException {
        return Optional.empty();
    }
}
