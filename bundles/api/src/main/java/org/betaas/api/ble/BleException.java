package org.betaas.api.ble;

/** A BLE operation failed; the message names the device or adapter and the reason. */
public class BleException extends Exception {

    private static final long serialVersionUID = 1L;

    public BleException(String message) {
        super(message);
    }

    public BleException(String message, Throwable cause) {
        super(message, cause);
    }
}
