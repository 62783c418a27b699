package org.betaas.api.vm;

/**
 * A request for a VM.
 *
 * @param template  name of the template to instantiate
 * @param requester who asks (shell, rest, service-manager, bigdata-manager, a peer gateway id), for the reasons
 */
public record VmRequest(String template, String requester) {
}
