package org.betaas.api.vm;

import java.util.List;

/**
 * Runs VMs on one hypervisor (libvirt) or cloud (OpenStack). Registered as an OSGi service with the property
 * {@code driver} set to {@link #name()}.
 */
public interface VmDriver {

    /** The driver's name, e.g. {@code libvirt} or {@code openstack}. */
    String name();

    /** Probes the hypervisor or cloud. Never throws: an unreachable one is reported in the status. */
    DriverStatus status();

    /** What can still be hosted. */
    HostCapacity capacity() throws VmException;

    /** Creates and starts a VM with the given id from the template; leaves nothing behind when it fails. */
    VmInstance deploy(VmTemplate template, String vmId) throws VmException;

    /**
     * Like {@link #deploy(VmTemplate, String)}, handing the VM a file (an application payload such as a web
     * application) it can read at boot; {@code null} for none. Drivers that cannot hand files to their VMs refuse
     * a payload with a clear {@link VmException}.
     */
    default VmInstance deploy(VmTemplate template, String vmId, java.nio.file.Path payload) throws VmException {
        if (payload != null) {
            throw new VmException("VM driver " + name() + " cannot hand an application payload to its VMs");
        }
        return deploy(template, vmId);
    }

    /** The VMs this driver runs, as the hypervisor or cloud reports them. */
    List<VmInstance> list() throws VmException;

    void stop(String vmId) throws VmException;

    void resume(String vmId) throws VmException;

    /** Stops the VM and removes it and its definition. */
    void destroy(String vmId) throws VmException;

    /** CPU and memory use of one VM as its hypervisor reports it; empty when the driver cannot tell. */
    default java.util.Optional<VmStats> stats(String vmId) throws VmException {
        return java.util.Optional.empty();
    }

    /**
     * What this gateway's VMs on this driver actually use now (resident memory, bytes of their own volumes on disk,
     * cores busy since the previous call), each VM capped at what it reserves; {@link VmsUsage#NONE} when the driver
     * cannot tell or runs its VMs elsewhere (a cloud).
     */
    default VmsUsage usage() throws VmException {
        return VmsUsage.NONE;
    }

    /**
     * Asks the driver to report state changes it learns of by itself (a VM crashed or was shut off outside
     * BETaaS): the listener receives the VM id and its new state. Drivers without events ignore it.
     */
    default void setStateListener(java.util.function.BiConsumer<String, VmState> listener) {
    }
}
