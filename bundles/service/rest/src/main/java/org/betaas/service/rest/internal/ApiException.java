package org.betaas.service.rest.internal;

/**
 * A request the API answers with an error: the HTTP status and the JSON body {@code {"code":..., "message":...}}.
 * The message tells the caller what was wrong and what to do; it never contains secrets.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad-request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not-found", message);
    }

    /** A BETaaS service this endpoint needs is not installed (yet): 503. */
    static ApiException unavailable(String service, String feature) {
        return new ApiException(503, "service-unavailable",
                service + " is not available on this gateway: install (or wait for) feature " + feature);
    }

    /** A VM operation the hypervisor or cloud refused: 409, with the operator-readable reason. */
    static ApiException conflict(String message) {
        return new ApiException(409, "operation-failed", message);
    }
}
