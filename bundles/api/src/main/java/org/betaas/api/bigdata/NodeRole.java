package org.betaas.api.bigdata;

/** What a Big Data node is asked for: the paper's Big Data VM templates. */
public enum NodeRole {
    /** Asked for while the data volume is above its threshold (template kind {@code bigdata-storage}). */
    STORAGE,
    /** Asked for while the query load is above its threshold (template kind {@code bigdata-compute}). */
    COMPUTE
}
