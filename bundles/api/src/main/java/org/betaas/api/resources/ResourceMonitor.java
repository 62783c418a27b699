package org.betaas.api.resources;

/** Samples this gateway's resources. */
public interface ResourceMonitor {

    /** The resources of this gateway now. */
    ResourceSnapshot current();
}
