package org.betaas.adaptation.ble.tinyb.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS BLE provider: tinyb",
        description = "Bluetooth Low Energy through Intel's tinyb (libtinyb talks to bluetoothd over the system D-Bus).")
@interface TinybConfiguration {

    @AttributeDefinition(name = "Native library directory",
            description = "Empty: the libtinyb.so and libjavatinyb.so this bundle carries (Linux x86_64 and ARMv6), "
                    + "extracted under data/betaas/tinyb/. Otherwise the directory holding the board's own "
                    + "libtinyb.so and libjavatinyb.so, e.g. /usr/lib.")
    String native_library_dir() default "";

    @AttributeDefinition(name = "Adapter",
            description = "The adapter to scan with, by name (e.g. hci0's alias) or address; empty for the default one.")
    String adapter() default "";

    @AttributeDefinition(name = "Connect timeout (ms)",
            description = "How long to wait for a device to connect and resolve its GATT services.")
    int connect_timeout_ms() default 10000;
}
