package org.betaas.api.vm;

/** A VM operation failed for a reason the operator can act on; the message says which and what to do. */
public class VmException extends Exception {

    private static final long serialVersionUID = 1L;

    public VmException(String message) {
        super(message);
    }

    public VmException(String message, Throwable cause) {
        super(message, cause);
    }
}
