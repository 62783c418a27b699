package org.betaas.service.rest.internal;

import java.io.IOException;
import java.util.Map;

/**
 * Where the remote cloud configuration (PID {@code org.betaas.vm.openstack}, read by the OpenStack VM driver)
 * is kept. The password is write-only: {@link #read()} never returns it, only whether one is set.
 */
interface CloudStore {

    /** The current values by key (see {@link org.betaas.api.cloud.CloudSettings#KEYS}) without the password, plus
     * {@code passwordSet}. */
    Map<String, Object> read() throws IOException;

    /** Stores validated values, keeping every other key (a password is only replaced when one is given). */
    void write(Map<String, Object> values) throws IOException;
}
