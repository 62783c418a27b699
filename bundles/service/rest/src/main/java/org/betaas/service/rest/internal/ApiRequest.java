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
 */
record ApiRequest(String method, List<String> segments, Map<String, String> query, String body) {
    ApiRequest {
        segments = List.copyOf(segments);
        query = Map.copyOf(query);
        body = body == null ? "" : body;
    }

    Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isBlank());
    }

    String path() {
        return "/" + String.join("/", segments);
    }
}
