package org.betaas.service.rest.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Matches requests against the route table: the route and its path parameters, or 404/405 when nothing matches. */
final class Router {

    /** A matched route and the values of its {@code {name}} segments. */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    List<Route> routes() {
        return routes;
    }

    /**
     * The route of a request.
     *
     * @throws ApiException 404 when no route has this path, 405 (with Allow) when none has this method on it
     */
    Match find(ApiRequest request) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = match(route.templateSegments(), request.segments());
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(request.method())) {
                return new Match(route, params.get());
            }
            allowed.add(route.method());
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, "method-not-allowed",
                    request.method() + " is not supported on " + request.path() + "; use " + String.join(", ", allowed),
                    Map.of("Allow", String.join(", ", allowed)));
        }
        throw ApiException.notFound("No endpoint " + request.path() + ": see /betaas/api/v1/openapi.json");
    }

    static Optional<Map<String, String>> match(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String s = segments.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (s.isEmpty()) {
                    return Optional.empty();
                }
                params.put(t.substring(1, t.length() - 1), s);
            } else if (!t.equals(s)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
