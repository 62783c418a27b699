package org.betaas.api.ble;

import java.util.List;

/**
 * A Bluetooth Low Energy stack (SPI): scans, lists the devices it sees, connects to them and reads or subscribes
 * their GATT characteristics. Implementations never throw from {@link #status()}; when there is no Bluetooth
 * adapter (or no bus to reach one) they say so there and every other call fails with a {@link BleException}.
 */
public interface BleProvider {

    /** Short name of the stack, e.g. {@code bluez}. */
    String name();

    /** Whether an adapter is usable right now, and why not. */
    BleStatus status();

    /** Starts (or keeps) discovery on the adapter. */
    void startScan() throws BleException;

    /** Stops discovery; never fails. */
    void stopScan();

    /** The devices the stack currently knows, with their last RSSI. */
    List<BleDevice> devices() throws BleException;

    /** Connects to a device and waits (bounded) until its GATT services are resolved. */
    void connect(String address) throws BleException;

    /** Disconnects; never fails. */
    void disconnect(String address);

    /** The UUIDs (lower-case, 128-bit form) of the GATT characteristics of a connected device. */
    List<String> characteristics(String address) throws BleException;

    /** Reads a characteristic's value. */
    byte[] read(String address, String characteristicUuid) throws BleException;

    /**
     * Asks the device to notify changes of a characteristic; the values arrive at
     * {@link BleListener#valueChanged}.
     */
    void subscribe(String address, String characteristicUuid) throws BleException;

    void addListener(BleListener listener);

    void removeListener(BleListener listener);
}
