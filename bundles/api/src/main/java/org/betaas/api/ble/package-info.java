/**
 * Bluetooth Low Energy: the provider SPI that a BLE stack implements (BlueZ over D-Bus, tinyb) and the view of
 * the BLE adaptor on the devices it sees.
 */
@Export
@Version("1.0.0")
package org.betaas.api.ble;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
