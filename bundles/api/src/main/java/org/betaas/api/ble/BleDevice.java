package org.betaas.api.ble;

/**
 * A BLE device as its stack sees it.
 *
 * @param address   the Bluetooth address, upper-case {@code AA:BB:CC:DD:EE:FF}
 * @param name      the advertised name, empty when none
 * @param rssi      the last received signal strength in dBm, {@code null} when not currently received
 * @param connected whether the stack holds a connection to it
 */
public record BleDevice(String address, String name, Integer rssi, boolean connected) {
}
