package org.betaas.api.vm;

/**
 * What the VMs of one hypervisor actually use now (not what they reserve), so that a host's measured use can be
 * split into the VMs' own use and the rest (the background).
 *
 * <p>A host's measured use (memory used, storage used, CPU load) already contains its running VMs: QEMU's resident
 * memory, the VMs' disk images, the guests' CPU time. The allocation policy counts the VMs once as reserved and
 * adds the forecast host use on top; that forecast must therefore be the use outside the VMs, or the VMs are
 * counted twice. {@link #background} is that subtraction, shared by every place that builds such a forecast.
 *
 * @param vcpusBusy  cores the VMs keep busy (CPU time per wall-clock time), never more than their vCPUs
 * @param memoryMiB  resident memory of the VMs, MiB, never more than each VM's memory
 * @param storageMiB bytes on disk of the VMs' own volumes, MiB, never more than each VM's disk
 */
public record VmsUsage(double vcpusBusy, long memoryMiB, long storageMiB) {

    /** No VMs, or a driver that cannot tell. */
    public static final VmsUsage NONE = new VmsUsage(0, 0, 0);

    /**
     * The host's use outside its VMs: {@code max(0, hostUse − vmsUse)}. An unknown (NaN) or negative VM use counts
     * as none; an unknown host use stays unknown.
     */
    public static double background(double hostUse, double vmsUse) {
        if (Double.isNaN(hostUse)) {
            return hostUse;
        }
        double own = Double.isNaN(vmsUse) || vmsUse < 0 ? 0 : vmsUse;
        return Math.max(0, hostUse - own);
    }

    /** Cores busy outside the VMs, given the host's busy cores (a point forecast or an upper bound). */
    public double vcpusOutside(double hostVcpusBusy) {
        return background(hostVcpusBusy, vcpusBusy);
    }

    /** Memory used outside the VMs, MiB, given the host's memory used, MiB. */
    public double memoryOutside(double hostMemoryMiB) {
        return background(hostMemoryMiB, memoryMiB);
    }

    /** Storage used outside the VMs, MiB, given the host's storage used, MiB. */
    public double storageOutside(double hostStorageMiB) {
        return background(hostStorageMiB, storageMiB);
    }

    /** Both VMs' uses added (several hypervisors on one host). */
    public VmsUsage plus(VmsUsage other) {
        return new VmsUsage(vcpusBusy + other.vcpusBusy, memoryMiB + other.memoryMiB, storageMiB + other.storageMiB);
    }

    /** For reasons: {@code 0.4 cores, 180 MiB memory, 35 MiB storage}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%.2f cores, %d MiB memory, %d MiB storage", vcpusBusy,
                memoryMiB, storageMiB);
    }
}
