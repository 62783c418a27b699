package org.betaas.api.vm;

import java.time.Instant;

/**
 * A VM made from a template.
 *
 * @param id        the VM's id, unique in the instance
 * @param template  the template's name
 * @param driver    the driver running it ({@code libvirt}, {@code openstack})
 * @param location  the gateway id or cloud name where it runs
 * @param state     its last known state
 * @param createdAt when it was deployed
 * @param vcpus     virtual CPUs
 * @param memoryMiB memory, MiB
 */
public record VmInstance(String id, String template, String driver, String location, VmState state,
                         Instant createdAt, int vcpus, long memoryMiB) {

    /** The same VM in another state. */
    public VmInstance withState(VmState newState) {
        return new VmInstance(id, template, driver, location, newState, createdAt, vcpus, memoryMiB);
    }
}
