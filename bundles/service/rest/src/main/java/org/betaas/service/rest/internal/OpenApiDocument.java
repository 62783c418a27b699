package org.betaas.service.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 document of the API, generated from the route table so it always lists the real routes.
 */
final class OpenApiDocument {

    static final String PATH = "/openapi.json";

    private OpenApiDocument() {
    }

    static Map<String, Object> of(List<Route> routes, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "BETaaS Gateway REST API", "version", version,
                "description", "Things, VM templates, VMs, placement, resource forecasts, the remote cloud "
                        + "configuration, applications, the instance's gateways and incidents, the stored measurement "
                        + "history and Big Data status, and what the Dependability Manager watches, of one BETaaS "
                        + "gateway. "
                        + "Operators authenticate as a Karaf user (HTTP Basic); installed applications call the "
                        + "/app endpoints with their token (Authorization: Bearer). Every error answers "
                        + "{\"code\", \"message\"}."));
        doc.put("servers", List.of(Map.of("url", BetaasApi.BASE)));
        doc.put("security", List.of(Map.of("basicAuth", List.of())));

        Map<String, Object> errorSchema = new LinkedHashMap<>();
        errorSchema.put("type", "object");
        errorSchema.put("required", List.of("code", "message"));
        errorSchema.put("properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string")));
        doc.put("components", Map.of(
                "securitySchemes", Map.of("basicAuth", Map.of("type", "http", "scheme", "basic",
                        "description", "A Karaf user (JAAS realm karaf) with the admin role"),
                        "bearerAuth", Map.of("type", "http", "scheme", "bearer",
                        "description", "An installed app's token, shown once when the app is installed")),
                "schemas", Map.of("Error", errorSchema)));

        Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("summary", "This document");
        self.put("operationId", "openapi");
        self.put("security", List.of());
        self.put("responses", Map.of("200", Map.of("description", "the OpenAPI 3 document")));
        paths.computeIfAbsent(PATH, k -> new LinkedHashMap<>()).put("get", self);
        for (Route route : routes) {
            paths.computeIfAbsent(route.template(), k -> new LinkedHashMap<>())
                    .put(route.method().toLowerCase(java.util.Locale.ROOT), operation(route));
        }
        doc.put("paths", paths);
        return doc;
    }

    private static Map<String, Object> operation(Route route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", route.summary());
        op.put("operationId", operationId(route));
        if (route.access() == Route.Access.APP) {
            op.put("security", List.of(Map.of("bearerAuth", List.of())));
        }
        List<Object> parameters = new java.util.ArrayList<>();
        for (String name : route.pathParams()) {
            parameters.add(parameter(name, "path", true, "", Map.of("type", "string")));
        }
        new java.util.TreeMap<>(route.queryParams()).forEach((name, description) -> parameters.add(
                parameter(name, "query", description.startsWith("required"), description, Map.of("type", "string"))));
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (!route.requestBody().isEmpty()) {
            op.put("requestBody", Map.of("required", true, "description", route.requestBody(),
                    "content", Map.of("application/json", Map.of("schema", Map.of("type", "object")))));
        }
        Map<String, Object> responses = new java.util.TreeMap<>();
        route.statuses().forEach((status, description) -> {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("description", description);
            response.put("content", Map.of("application/json", Map.of("schema", status < 300
                    ? Map.of("type", "object") : Map.of("$ref", "#/components/schemas/Error"))));
            responses.put(Integer.toString(status), response);
        });
        op.put("responses", responses);
        return op;
    }

    /** A parameter object, its keys in the usual order (stable output). */
    private static Map<String, Object> parameter(String name, String in, boolean required, String description,
                                                 Map<String, Object> schema) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("in", in);
        p.put("required", required);
        if (!description.isEmpty()) {
            p.put("description", description);
        }
        p.put("schema", schema);
        return p;
    }

    private static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().toLowerCase(java.util.Locale.ROOT));
        for (String segment : route.templateSegments()) {
            String word = segment.replaceAll("[{}]", "");
            id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return id.toString();
    }
}
