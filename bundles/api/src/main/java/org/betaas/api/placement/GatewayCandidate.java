package org.betaas.api.placement;

/**
 * What the allocation policy knows about one gateway that could host a VM: this gateway, or a peer of the
 * instance as the Instance Manager sees it.
 *
 * @param gatewayId      unique within the instance
 * @param architecture   CPU architecture, e.g. {@code x86_64} or {@code aarch64}
 * @param virtualization whether the gateway can run VMs at all (a hypervisor is installed and reachable)
 * @param trust          trust in the gateway, 0 (none) .. 1 (full): failures, low battery, network trouble and
 *                       bad reputation lower it
 * @param power          computing power, e.g. cores × relative core speed; compares gateways of the instance
 * @param vmsRunning     VMs the gateway runs now
 * @param capacity       what the gateway offers to VMs (vCPUs after any overcommit, memory, storage)
 * @param reserved       what its VMs already reserve
 * @param forecast       point forecast of its other use (not reserved by VMs), the peak over the horizon
 * @param forecastUpper  upper bound of the prediction interval of that use over the horizon; the policy uses
 *                       this one, so it is conservative
 */
public record GatewayCandidate(String gatewayId, String architecture, boolean virtualization, double trust,
                               double power, int vmsRunning, Resources capacity, Resources reserved,
                               Resources forecast, Resources forecastUpper) {

    /** The predicted availability: capacity − reserved − forecast upper bound (never below zero). */
    public Resources available() {
        return new Resources(
                Math.max(0, capacity.vcpus() - reserved.vcpus() - forecastUpper.vcpus()),
                Math.max(0, capacity.memoryMiB() - reserved.memoryMiB() - forecastUpper.memoryMiB()),
                Math.max(0, capacity.storageMiB() - reserved.storageMiB() - forecastUpper.storageMiB()));
    }

    /**
     * An amount of each resource a VM needs or a gateway offers.
     *
     * @param vcpus      virtual CPUs (fractions where a load is converted: 0.5 = half a core busy)
     * @param memoryMiB  memory, MiB
     * @param storageMiB storage, MiB
     */
    public record Resources(double vcpus, double memoryMiB, double storageMiB) {

        public static final Resources NONE = new Resources(0, 0, 0);

        /** Whether {@code need} fits in this amount. */
        public boolean holds(Resources need) {
            return need.vcpus <= vcpus && need.memoryMiB <= memoryMiB && need.storageMiB <= storageMiB;
        }

        public Resources minus(Resources other) {
            return new Resources(vcpus - other.vcpus, memoryMiB - other.memoryMiB, storageMiB - other.storageMiB);
        }

        public Resources plus(Resources other) {
            return new Resources(vcpus + other.vcpus, memoryMiB + other.memoryMiB, storageMiB + other.storageMiB);
        }
    }
}
