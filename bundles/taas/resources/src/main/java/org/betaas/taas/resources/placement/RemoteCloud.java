package org.betaas.taas.resources.placement;

/**
 * A remote cloud the instance may use when its gateways cannot host a VM.
 *
 * @param name       the cloud's name, e.g. {@code openstack}
 * @param configured whether credentials and an endpoint are configured
 * @param reachable  whether its last probe succeeded
 * @param vmLimit    the most VMs the instance may run there (cost limit)
 * @param vmsInUse   VMs the instance runs there now
 */
public record RemoteCloud(String name, boolean configured, boolean reachable, int vmLimit, int vmsInUse) {

    /** No remote cloud at all. */
    public static RemoteCloud none() {
        return new RemoteCloud("remote cloud", false, false, 0, 0);
    }
}
