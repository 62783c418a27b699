package org.betaas.api.ble;

/** Events of a {@link BleProvider}; called on the provider's threads, so implementations return quickly. */
public interface BleListener {

    /** The stack forgot a device (e.g. BlueZ removed it because it left). */
    default void deviceRemoved(String address) {
    }

    /** A subscribed characteristic notified a new value. */
    default void valueChanged(String address, String characteristicUuid, byte[] value) {
    }
}
