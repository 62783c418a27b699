package org.betaas.service.rest.internal;

import java.io.IOException;
import java.util.Map;

/**
 * The remote cloud configuration (PID {@code org.betaas.vm.openstack}, read by the OpenStack VM driver).
 * The password is write-only: {@link #read()} never returns it, only whether one is set.
 */
interface CloudSettings {

    String PID = "org.betaas.vm.openstack";
    String PASSWORD = "password";

    /** The current values by key (see {@link CloudForm#KEYS}), without the password, plus {@code passwordSet}. */
    Map<String, Object> read() throws IOException;

    /** Stores the given values, keeping every other key (a password is only replaced when one is given). */
    void write(Map<String, Object> values) throws IOException;
}
