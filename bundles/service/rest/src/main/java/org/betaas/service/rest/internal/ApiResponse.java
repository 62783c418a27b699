package org.betaas.service.rest.internal;

import java.util.Map;

/**
 * What the API answers: a status, a JSON-serialisable body ({@code null} for none) and extra headers.
 */
record ApiResponse(int status, Object body, Map<String, String> headers) {
    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse created(Object body) {
        return new ApiResponse(201, body, Map.of());
    }

    static ApiResponse error(int status, String code, String message, Map<String, String> headers) {
        return new ApiResponse(status, ErrorBody.of(code, message), headers);
    }

    /** The JSON error body of every non-2xx answer. */
    record ErrorBody(String code, String message) {
        static ErrorBody of(String code, String message) {
            return new ErrorBody(code, message == null ? "" : message);
        }
    }
}
