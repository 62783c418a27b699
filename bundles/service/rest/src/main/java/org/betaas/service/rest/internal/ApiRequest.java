package org.betaas.service.rest.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API call as the router sees it.
 *
 * @param method   HTTP method, upper case
 * @param segments the decoded path segments after {@code /betaas/api/v1}, e.g. {@code [things, urn:dev:1]}
 * @param query    decoded query parameters (first value of each)
 * @param body     the request body, empty when none
 * @param appToken the app token of a call to an app endpoint ({@code Authorization: Bearer}), empty otherwise;
 *                 never shown by {@link #toString()}
 */
record ApiRequest(String method, List<String> segments, Map<String, String> query, String body, String appToken) {
    ApiRequest {
        segments = List.copyOf(segments);
        query = Map.copyOf(query);
        body = body == null ? "" : body;
        appToken = appToken == null ? "" : appToken;
    }

    ApiRequest(String method, List<String> segments, Map<String, String> query, String body) {
        this(method, segments, query, body, "");
    }

    ApiRequest withAppToken(String token) {
        return new ApiRequest(method, segments, query, body, token);
    }

    Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isBlank());
    }

    String path() {
        return "/" + String.join("/", segments);
    }

    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path() + (appToken.isEmpty() ? "" : ", app token (hidden)") + "]";
    }
}
