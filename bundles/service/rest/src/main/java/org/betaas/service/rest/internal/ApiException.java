package org.betaas.service.rest.internal;

import java.util.Map;

import org.betaas.api.apps.AppException;

/**
 * A request the API answers with an error: the HTTP status and the JSON body {@code {"code":..., "message":...}}.
 * The message tells the caller what was wrong and what to do; it never contains secrets.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The challenge of the endpoints that take an app token. */
    static final String BEARER_CHALLENGE = "Bearer realm=\"betaas-apps\"";

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Extra headers of the answer (a challenge, Allow). */
    Map<String, String> headers() {
        return headers == null ? Map.of() : headers;
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

    /** An app endpoint called without a usable app token: 401 with a Bearer challenge. */
    static ApiException noAppToken(String message) {
        return new ApiException(401, "unauthorized", message, Map.of("WWW-Authenticate", BEARER_CHALLENGE));
    }

    /** The answer to a refused application operation, by its reason (the Service Manager's message names the input). */
    static ApiException of(AppException e) {
        return switch (e.reason()) {
            case INVALID -> badRequest(e.getMessage());
            case UNAUTHORIZED -> noAppToken(e.getMessage());
            case FORBIDDEN -> new ApiException(403, "forbidden", e.getMessage());
            case NOT_FOUND -> notFound(e.getMessage());
            case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "service-unavailable", e.getMessage());
        };
    }
}
