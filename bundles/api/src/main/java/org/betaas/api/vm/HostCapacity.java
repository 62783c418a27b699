package org.betaas.api.vm;

/**
 * What a hypervisor or cloud offers, and how much of it the VMs defined on it reserve.
 *
 * @param vcpus            virtual CPUs it can offer (host logical CPUs, or cloud quota)
 * @param memoryMiB        memory it can offer, MiB
 * @param storageMiB       storage it can offer, MiB
 * @param reservedVcpus    virtual CPUs reserved by defined VMs
 * @param reservedMemoryMiB memory reserved by defined VMs, MiB
 * @param reservedStorageMiB storage reserved by defined VMs, MiB
 */
public record HostCapacity(int vcpus, long memoryMiB, long storageMiB,
                           int reservedVcpus, long reservedMemoryMiB, long reservedStorageMiB) {

    public long freeMemoryMiB() {
        return memoryMiB - reservedMemoryMiB;
    }

    public long freeStorageMiB() {
        return storageMiB - reservedStorageMiB;
    }

    /** Whether a VM of this template still fits in memory and storage (vCPUs may be overcommitted). */
    public boolean fits(VmTemplate template) {
        return template.memoryMiB() <= freeMemoryMiB() && template.diskMiB() <= freeStorageMiB();
    }
}
