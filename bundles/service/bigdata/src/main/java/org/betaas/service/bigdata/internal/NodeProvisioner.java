package org.betaas.service.bigdata.internal;

import java.util.Optional;

import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.NodeRole;

/** Gets and gives back the VMs of Big Data nodes (the TaaS Resources Manager and the VM Manager in a gateway). */
interface NodeProvisioner {

    /** Deploys a VM of {@code template}; the exception's message says why it could not. */
    BigDataNode deploy(NodeRole role, String template, String reason) throws Exception;

    /** Destroys the node's VM. */
    void release(BigDataNode node) throws Exception;

    /** Whether the node's VM still exists; empty when that cannot be told (no VM Manager, a peer's VM). */
    Optional<Boolean> exists(BigDataNode node);
}
