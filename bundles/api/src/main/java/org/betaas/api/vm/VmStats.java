package org.betaas.api.vm;

/**
 * What one VM uses, as its hypervisor reports it.
 *
 * @param cpuTimeNanos   CPU time the VM has used since it started, nanoseconds
 * @param cpuPercent     CPU use over the last sampling interval, percent of one host CPU; negative when unknown
 * @param memoryMiB      memory currently given to the VM, MiB
 * @param maxMemoryMiB   the most memory the VM may get, MiB
 * @param uptimeSeconds  how long it has been running, seconds; negative when unknown
 */
public record VmStats(long cpuTimeNanos, double cpuPercent, long memoryMiB, long maxMemoryMiB, long uptimeSeconds) {
}
