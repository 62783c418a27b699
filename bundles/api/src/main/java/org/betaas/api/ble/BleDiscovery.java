package org.betaas.api.ble;

import java.util.List;

/** The BLE adaptor: the devices it saw and what it did with them. */
public interface BleDiscovery {

    /** Every device seen since start, kept or ignored. */
    List<BleDeviceState> devices();

    /** The status of the BLE stack the adaptor uses. */
    BleStatus providerStatus();

    /** Problems with etc/org.betaas.ble.cfg, empty when none. */
    List<String> configurationProblems();
}
