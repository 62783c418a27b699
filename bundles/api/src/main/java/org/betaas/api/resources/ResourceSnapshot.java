package org.betaas.api.resources;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * A gateway's resources at one instant.
 *
 * @param takenAt        when the snapshot was taken
 * @param cpuCores       logical processors
 * @param cpuLoad        CPU load over the last sampling period, 0..1 of all cores
 * @param memoryTotal    physical memory, bytes
 * @param memoryUsed     physical memory in use, bytes
 * @param storageTotal   storage of the gateway's data file system, bytes
 * @param storageUsed    storage in use on that file system, bytes
 * @param batteryPercent remaining battery charge in percent, empty when the gateway has no battery
 */
public record ResourceSnapshot(Instant takenAt, int cpuCores, double cpuLoad, long memoryTotal, long memoryUsed,
                               long storageTotal, long storageUsed, OptionalDouble batteryPercent) {

    /** The used amount of one resource, in that resource's unit (see {@link ResourceKind}); NaN when absent. */
    public double used(ResourceKind kind) {
        return switch (kind) {
            case CPU -> cpuLoad;
            case MEMORY -> memoryUsed;
            case STORAGE -> storageUsed;
            case BATTERY -> batteryPercent.orElse(Double.NaN);
        };
    }
}
