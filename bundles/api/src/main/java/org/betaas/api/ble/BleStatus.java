package org.betaas.api.ble;

/**
 * Whether a BLE stack has a usable adapter.
 *
 * @param available true when an adapter answers
 * @param endpoint  what the provider talks to, e.g. the D-Bus address and adapter {@code hci0}
 * @param detail    the adapter when available; the reason and what to do when not
 */
public record BleStatus(boolean available, String endpoint, String detail) {
}
