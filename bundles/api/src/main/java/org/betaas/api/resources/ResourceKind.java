package org.betaas.api.resources;

/** The resources of a gateway that BETaaS measures and forecasts. */
public enum ResourceKind {
    /** CPU load, as a fraction of all cores (0..1). */
    CPU,
    /** Memory in use, bytes. */
    MEMORY,
    /** Storage in use, bytes. */
    STORAGE,
    /** Battery charge, percent (only on battery-powered gateways). */
    BATTERY
}
