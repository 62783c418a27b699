package org.betaas.api.things;

/** A protocol adaptor (MQTT, BLE, ...) that brings things into the registry and can drive actuators. */
public interface ThingAdaptor {

    /** The protocol name things of this adaptor carry in {@link Thing#protocol()}. */
    String protocol();

    AdaptorStats stats();

    /**
     * Sends a command to an actuator of this adaptor.
     *
     * @throws IllegalStateException when the adaptor cannot send now (e.g. not connected), with a message
     *                               saying what to do
     */
    void actuate(String thingId, String command);
}
