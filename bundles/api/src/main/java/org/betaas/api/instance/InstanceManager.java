package org.betaas.api.instance;

import java.util.List;

import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmRequest;

/**
 * This gateway's membership of its BETaaS instance: the live view of its peers and requests to them over the
 * instance bus. Requests fail with a {@link VmException} naming the peer when it refuses, fails or does not answer
 * within the request timeout.
 */
public interface InstanceManager {

    InstanceInfo info();

    /** Every gateway known in the instance, this one first. */
    List<PeerGateway> gateways();

    /**
     * Joins the instance. Null arguments keep the configured values; the key is stored in the configuration and
     * never shown again.
     *
     * @throws IllegalArgumentException naming the wrong argument
     */
    void join(String brokerUrl, String instanceKey);

    /** Leaves the instance: publishes this gateway offline and disconnects. */
    void leave();

    /**
     * Dismisses a gateway from the instance: every member drops its messages from now on.
     *
     * @throws IllegalArgumentException when the gateway is unknown or this gateway is not joined
     */
    void dismiss(String gatewayId);

    /** Deploys on a peer's VM Manager (its local driver choice when {@code driver} is null). */
    VmInstance deployOn(String gatewayId, VmRequest request, String driver) throws VmException;

    void stopOn(String gatewayId, String vmId) throws VmException;

    void resumeOn(String gatewayId, String vmId) throws VmException;

    void destroyOn(String gatewayId, String vmId) throws VmException;

    /** Asks a peer for its current status. */
    GatewayStatus statusOf(String gatewayId) throws VmException;
}
