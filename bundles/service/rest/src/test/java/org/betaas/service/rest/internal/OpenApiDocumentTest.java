package org.betaas.service.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class OpenApiDocumentTest {

    private final RestApi api = new RestApi(new FakeServices(),
            new BasicAuthGuard((u, p) -> Optional.of(Set.of("admin")), "admin", "karaf"), "1.2.3");

    private JsonNode document() throws Exception {
        return new ObjectMapper().readTree(api.handle("GET", "/openapi.json", null, null, null).body());
    }

    @Test
    public void everyRouteAppearsWithItsMethodParametersAndErrorResponses() throws Exception {
        JsonNode paths = document().get("paths");
        for (Route route : api.routes()) {
            JsonNode op = paths.path(route.template()).path(route.method().toLowerCase(Locale.ROOT));
            assertTrue(route.method() + " " + route.template() + " missing", op.isObject());
            for (String name : route.pathParams()) {
                boolean found = false;
                for (JsonNode p : op.path("parameters")) {
                    found |= name.equals(p.path("name").asText()) && "path".equals(p.path("in").asText())
                            && p.path("required").asBoolean();
                }
                assertTrue(route.template() + " lacks required path parameter " + name, found);
            }
            for (String status : new String[] {"401", "403", "503"}) {
                assertEquals("#/components/schemas/Error",
                        op.at("/responses/" + status + "/content/application~1json/schema/$ref").asText());
            }
        }
    }

    @Test
    public void theDocumentListsNoRouteThatDoesNotExist() throws Exception {
        JsonNode doc = document();
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> real = new HashSet<>();
        api.routes().forEach(r -> real.add(r.method() + " " + r.template()));
        real.add("GET " + OpenApiDocument.PATH);
        assertEquals(real, documented);
        assertEquals("/betaas/api/v1", doc.at("/servers/0/url").asText());
        assertEquals("1.2.3", doc.at("/info/version").asText());
        assertEquals("basic", doc.at("/components/securitySchemes/basicAuth/scheme").asText());
    }

    @Test
    public void appEndpointsTakeABearerTokenAndTheOthersBasicAuth() throws Exception {
        JsonNode doc = document();
        assertEquals("bearer", doc.at("/components/securitySchemes/bearerAuth/scheme").asText());
        for (Route route : api.routes()) {
            JsonNode security = doc.get("paths").path(route.template()).path(route.method().toLowerCase(Locale.ROOT))
                    .path("security");
            if (route.template().startsWith("/app/")) {
                assertEquals(route.template(), Route.Access.APP, route.access());
                assertTrue(route.template(), security.at("/0/bearerAuth").isArray());
            } else {
                assertEquals(route.template(), Route.Access.ADMIN, route.access());
                assertTrue(route.template() + " inherits basicAuth", security.isMissingNode());
            }
        }
        assertTrue(doc.at("/paths/~1incidents/get/responses/400").isObject());
        assertTrue(doc.at("/paths/~1apps/post/responses/409").isObject());
        assertTrue(doc.at("/paths/~1app~1things~1{id}/get/responses/403").isObject());
    }

    @Test
    public void theHistoryEndpointsDocumentTheirOptionalQueryParameters() throws Exception {
        JsonNode doc = document();
        for (String path : new String[] {"/things/{id}/measurements", "/app/things/{id}/measurements"}) {
            JsonNode op = doc.get("paths").path(path).path("get");
            Set<String> query = new HashSet<>();
            for (JsonNode p : op.path("parameters")) {
                if ("query".equals(p.path("in").asText())) {
                    query.add(p.path("name").asText());
                    assertTrue(path + " " + p, !p.path("required").asBoolean()
                            && !p.path("description").asText().isEmpty());
                }
            }
            assertEquals(path, Set.of("since", "from", "to", "name", "limit", "bucket"), query);
            assertTrue(path, op.at("/responses/400").isObject() && op.at("/responses/404").isObject());
        }
        assertTrue(doc.at("/paths/~1bigdata/get/responses/503").isObject());
        assertTrue(doc.at("/paths/~1dependability/get/responses/200").isObject());
    }

    @Test
    public void requiredQueryParametersAreMarkedRequired() throws Exception {
        JsonNode params = document().at("/paths/~1placement~1explain/get/parameters/0");
        assertEquals("template", params.get("name").asText());
        assertTrue(params.get("required").asBoolean());
    }
}
