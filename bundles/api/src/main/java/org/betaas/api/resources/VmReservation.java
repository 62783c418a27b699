package org.betaas.api.resources;

/**
 * What this gateway's VMs reserve, sampled into the resource history beside the measured use: the measured use
 * includes what the VMs actually consume, so a forecast of the gateway's other use needs both.
 */
public enum VmReservation {
    /** Virtual CPUs reserved by the VMs of this gateway's hypervisor. */
    VM_VCPUS,
    /** Memory reserved by them, MiB. */
    VM_MEMORY
}
