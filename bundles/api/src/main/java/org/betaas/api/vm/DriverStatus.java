package org.betaas.api.vm;

/**
 * Whether a VM driver can reach its hypervisor or cloud.
 *
 * @param reachable true when the last probe succeeded
 * @param endpoint  what it talks to (a libvirt URI, a Keystone URL); never contains credentials
 * @param detail    hypervisor type and version when reachable, the reason and what to do when not
 */
public record DriverStatus(boolean reachable, String endpoint, String detail) {
}
