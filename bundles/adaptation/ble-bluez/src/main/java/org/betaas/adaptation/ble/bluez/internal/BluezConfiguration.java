package org.betaas.adaptation.ble.bluez.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS BLE provider: BlueZ",
        description = "Bluetooth Low Energy through BlueZ (bluetoothd) over D-Bus.")
@interface BluezConfiguration {

    @AttributeDefinition(name = "D-Bus address",
            description = "Empty for the system bus (where bluetoothd runs); otherwise a D-Bus address such as "
                    + "unix:path=/tmp/test-bus (tests point it at a python3-dbusmock BlueZ).")
    String dbus_address() default "";

    @AttributeDefinition(name = "Adapter",
            description = "The BlueZ adapter to use, e.g. hci0; empty for the first one.")
    String adapter() default "";

    @AttributeDefinition(name = "Connect timeout (ms)",
            description = "How long to wait for a device to connect and resolve its GATT services.")
    int connect_timeout_ms() default 10000;
}
