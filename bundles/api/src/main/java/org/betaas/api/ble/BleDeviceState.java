package org.betaas.api.ble;

import java.time.Instant;

/**
 * What the BLE adaptor decided about a device it saw.
 *
 * @param address  Bluetooth address
 * @param name     advertised name, empty when none
 * @param rssi     last RSSI in dBm, {@code null} when unknown
 * @param kept     true when the device is (or was) at or above the RSSI threshold and is read
 * @param state    {@code ignored}, {@code kept}, {@code connected}, {@code failed: <reason>} or {@code lost: <reason>}
 * @param thingId  the thing it is reported as, e.g. {@code urn:dev:mac:aabbccddeeff}
 * @param lastSeen when the adaptor last saw it in a scan
 */
public record BleDeviceState(String address, String name, Integer rssi, boolean kept, String state, String thingId,
                             Instant lastSeen) {
}
