package org.betaas.api.apps;

/**
 * An application operation was refused; the message names the input and says what to do, the reason tells an API
 * how to answer (e.g. 400, 401, 403, 404, 409, 503).
 */
public class AppException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Reason {
        /** the manifest or an argument is wrong (400) */
        INVALID,
        /** no app has this token (401) */
        UNAUTHORIZED,
        /** the app was not granted this thing, or the thing is not an actuator (403) */
        FORBIDDEN,
        /** no such app or thing (404) */
        NOT_FOUND,
        /** an app of this name is already installed (409) */
        CONFLICT,
        /** a service this operation needs is missing or failed (503) */
        UNAVAILABLE
    }

    private final Reason reason;

    public AppException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AppException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
