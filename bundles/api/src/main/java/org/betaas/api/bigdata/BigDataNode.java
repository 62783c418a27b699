package org.betaas.api.bigdata;

import java.time.Instant;

/**
 * A Big Data node the manager holds: a VM deployed through the TaaS Resources Manager.
 *
 * @param vmId     the VM's id at the VM Manager
 * @param role     storage or compute
 * @param template the VM template it was made from
 * @param location the gateway id or cloud where it runs
 * @param since    when it was deployed
 * @param reason   the threshold crossing that asked for it
 */
public record BigDataNode(String vmId, NodeRole role, String template, String location, Instant since,
                          String reason) {
}
