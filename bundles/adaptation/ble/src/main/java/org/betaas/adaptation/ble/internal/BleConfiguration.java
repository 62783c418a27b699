package org.betaas.adaptation.ble.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS BLE adaptor",
        description = "Discovers BLE devices in range and reads their GATT characteristics into things.")
@interface BleConfiguration {

    @AttributeDefinition(name = "RSSI threshold (dBm)",
            description = "Devices received at or above this strength are kept and read; weaker ones are ignored.")
    int rssi_threshold() default -80;

    @AttributeDefinition(name = "RSSI hysteresis (dB)",
            description = "A kept device stays kept down to threshold minus this, so one at the edge does not flap.")
    int rssi_hysteresis() default 5;

    @AttributeDefinition(name = "Grace period (s)",
            description = "How long a kept device may be weaker than threshold - hysteresis (or silent) before it is lost.")
    int lost_grace_seconds() default 30;

    @AttributeDefinition(name = "Scan interval (s)",
            description = "Seconds between two looks at the devices the Bluetooth stack sees.")
    int scan_interval_seconds() default 10;

    @AttributeDefinition(name = "Characteristics",
            description = "GATT characteristics to read, as UUID=type: 2A6E=temperature (0.01 Cel), "
                    + "2A6F=humidity (0.01 %RH), 2A19=battery (%EL), 2A6D=pressure (0.1 Pa).")
    String[] characteristics() default {"2A6E=temperature", "2A6F=humidity", "2A19=battery"};
}
