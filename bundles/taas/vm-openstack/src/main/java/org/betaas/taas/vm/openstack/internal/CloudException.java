package org.betaas.taas.vm.openstack.internal;

import org.betaas.api.vm.VmException;

/** A VM operation failed because of what the cloud answered; {@link #status()} is the HTTP status, 0 if none. */
final class CloudException extends VmException {

    private static final long serialVersionUID = 1L;

    private final int status;

    CloudException(int status, String message) {
        super(message);
        this.status = status;
    }

    CloudException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    int status() {
        return status;
    }
}
