package org.betaas.api.bigdata;

import java.time.Duration;
import java.util.List;

/**
 * What the Big Data Manager holds and how it decides.
 *
 * @param database         the JDBC URL, without credentials
 * @param rows             measurements stored
 * @param bytes            the database's own figure of the space they take (an estimate where it has none)
 * @param retention        how long measurements are kept ({@link Duration#ZERO}: without age limit)
 * @param maxRows          how many are kept at most (0: without row limit)
 * @param queriesPerMinute queries answered in the last minute
 * @param storageRowsHigh  rows from which a storage node is asked for (0: off)
 * @param storageBytesHigh bytes from which a storage node is asked for (0: off)
 * @param queriesHigh      queries per minute from which a compute node is asked for (0: off)
 * @param releaseFraction  a node is released once the load is below this fraction of its threshold (hysteresis)
 * @param storageTemplate  the VM template of storage nodes
 * @param computeTemplate  the VM template of compute nodes
 * @param nodes            the nodes held now
 * @param problems         configuration or database problems, one message each (empty when all is well)
 */
public record BigDataStatus(String database, long rows, long bytes, Duration retention, long maxRows,
                            double queriesPerMinute, long storageRowsHigh, long storageBytesHigh, double queriesHigh,
                            double releaseFraction, String storageTemplate,
                            String computeTemplate, List<BigDataNode> nodes, List<String> problems) {

    public BigDataStatus {
        nodes = List.copyOf(nodes);
        problems = List.copyOf(problems);
    }
}
