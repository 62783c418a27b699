package org.betaas.api.things;

/** Whether a thing measures or acts. */
public enum ThingKind {
    SENSOR,
    ACTUATOR
}
