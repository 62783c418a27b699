package org.betaas.api.instance;

import java.util.List;
import java.util.Map;

/**
 * What a gateway tells its BETaaS instance about itself: the payload of its retained status message
 * ({@code betaas/<instance>/gateways/<id>/status}, see docs/instance-protocol.md).
 *
 * @param gatewayId    the gateway's id, unique within the instance
 * @param version      the BETaaS Gateway version it runs
 * @param online       false in the last message of a gateway that leaves (and in its last will)
 * @param session      random id of the gateway's current membership session (a last will names it)
 * @param resources    its resources now
 * @param headroom     the resources its forecast says stay free over the forecast horizon
 * @param vms          the VMs it runs
 * @param trustInputs  what it reports about itself for the trust of its peers in it
 * @param capabilities what it can host
 * @param cloudAccess  whether it reaches a remote cloud
 * @param peerTrust    its own trust in each peer it knows (peers combine these into a reputation)
 * @param replaced     VMs of failed peers this gateway re-placed (recent ones): a peer that comes back destroys
 *                     its stale copies of them
 * @param timestamp    when the status was taken, milliseconds since the epoch
 */
public record GatewayStatus(String gatewayId, String version, boolean online, String session, Resources resources,
                            Headroom headroom, List<VmSummary> vms, TrustInputs trustInputs,
                            Capabilities capabilities, boolean cloudAccess, Map<String, Double> peerTrust,
                            List<Replacement> replaced, long timestamp) {

    public GatewayStatus {
        vms = vms == null ? List.of() : List.copyOf(vms);
        peerTrust = peerTrust == null ? Map.of() : Map.copyOf(peerTrust);
        replaced = replaced == null ? List.of() : List.copyOf(replaced);
    }

    /** The same status, marked offline at {@code when}. */
    public GatewayStatus offline(long when) {
        return new GatewayStatus(gatewayId, version, false, session, resources, headroom, vms, trustInputs,
                capabilities, cloudAccess, peerTrust, replaced, when);
    }

    /**
     * Resources now.
     *
     * @param batteryPercent remaining charge, null when mains powered
     */
    public record Resources(int cpuCores, double cpuLoad, long memoryTotal, long memoryUsed, long storageTotal,
                            long storageUsed, Double batteryPercent) {
    }

    /**
     * What the gateway offers to VMs and what its forecast leaves of it: the figures the allocation policy needs.
     *
     * @param capacity      what its hypervisors offer to VMs
     * @param reserved      what its VMs reserve already
     * @param forecast      peak forecast of its other use over the forecast horizon
     * @param forecastUpper upper bound of the prediction interval of that use (the policy's conservative figure)
     * @param forecastBased false when no forecast was available and the current use was taken instead
     */
    public record Headroom(Amount capacity, Amount reserved, Amount forecast, Amount forecastUpper,
                           boolean forecastBased) {

        /** capacity − reserved − forecast upper bound, never below zero. */
        public Amount available() {
            return new Amount(Math.max(0, capacity.vcpus() - reserved.vcpus() - forecastUpper.vcpus()),
                    Math.max(0, capacity.memoryMiB() - reserved.memoryMiB() - forecastUpper.memoryMiB()),
                    Math.max(0, capacity.storageMiB() - reserved.storageMiB() - forecastUpper.storageMiB()));
        }
    }

    /** An amount of each resource (vCPUs may be fractional where a load was converted). */
    public record Amount(double vcpus, double memoryMiB, double storageMiB) {
        public static final Amount NONE = new Amount(0, 0, 0);
    }

    /** A VM the gateway runs ({@code createdAt} in ms since the epoch). */
    public record VmSummary(String id, String template, String driver, String state, int vcpus, long memoryMiB,
                            long createdAt) {
    }

    /**
     * Self-reported inputs of the trust model.
     *
     * @param batteryPercent      remaining charge, null when mains powered
     * @param batteryTrendPerHour change of the charge in percent per hour (negative when discharging), null if unknown
     * @param networkErrors       broker connection losses since the gateway started
     */
    public record TrustInputs(Double batteryPercent, Double batteryTrendPerHour, int networkErrors) {
    }

    /**
     * What the gateway can host.
     *
     * @param virtualization whether a hypervisor is reachable
     * @param architecture   its CPU architecture ({@code amd64}, {@code aarch64})
     * @param drivers        names of its VM drivers
     * @param cpuSpeed       relative speed of its cores as its placement is configured (1 = a typical x86 core);
     *                       null when not reported (a peer then assumes its own)
     * @param cpuAllocationRatio virtual CPUs it offers per core as its placement is configured; null when not
     *                       reported (a peer then assumes its own)
     */
    public record Capabilities(boolean virtualization, String architecture, List<String> drivers, Double cpuSpeed,
                               Double cpuAllocationRatio) {
        public Capabilities {
            drivers = drivers == null ? List.of() : List.copyOf(drivers);
        }

        /** Without the CPU figures (a gateway that does not report them). */
        public Capabilities(boolean virtualization, String architecture, List<String> drivers) {
            this(virtualization, architecture, drivers, null, null);
        }
    }

    /**
     * A VM of a failed gateway, deployed again elsewhere.
     *
     * @param fromGateway the failed gateway
     * @param vmId        the VM's id there
     * @param template    its template
     * @param location    where it runs now (a gateway id or a cloud)
     * @param newVmId     its new id
     * @param at          when it was re-placed, ms since the epoch
     */
    public record Replacement(String fromGateway, String vmId, String template, String location, String newVmId,
                              long at) {
    }
}
