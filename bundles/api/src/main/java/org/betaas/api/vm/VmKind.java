package org.betaas.api.vm;

/** The four kinds of VM template of the BETaaS paper (section V). */
public enum VmKind {
    /** Java and a servlet container that runs an application's war. */
    SERVICE,
    /** Java and Karaf running this very distribution: a logical gateway. */
    GATEWAY,
    /** A Big Data storage node. */
    BIGDATA_STORAGE,
    /** A Big Data computation node. */
    BIGDATA_COMPUTE
}
