package org.betaas.service.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class RestApiTest {

    private static final String ADMIN = basic("karaf", "karaf");
    private static final String VIEWER = basic("viewer", "viewer");

    private final ObjectMapper json = new ObjectMapper();
    private FakeServices services;
    private RestApi api;

    @Before
    public void setUp() {
        services = new FakeServices();
        Authenticator users = (user, password) -> switch (user + ":" + new String(password)) {
            case "karaf:karaf" -> Optional.of(Set.of("admin", "manager"));
            case "viewer:viewer" -> Optional.of(Set.of("viewer"));
            default -> Optional.empty();
        };
        api = new RestApi(services, new BasicAuthGuard(users, "admin", "karaf"), "0.1.0");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode call(int expectedStatus, String method, String path, String query, String auth, String body)
            throws Exception {
        RestApi.Answer answer = api.handle(method, path, query, auth, body);
        assertEquals(answer.text(), expectedStatus, answer.status());
        assertTrue(answer.headers().get("Content-Type").startsWith("application/json"));
        JsonNode node = json.readTree(answer.body());
        if (expectedStatus >= 400) {
            assertTrue("error body has a code: " + node, node.path("code").isTextual());
            assertFalse("error body has a message: " + node, node.path("message").asText().isEmpty());
        }
        return node;
    }

    private JsonNode get(int status, String path) throws Exception {
        return call(status, "GET", path, null, ADMIN, null);
    }

    @Test
    public void withoutCredentialsTheAnswerIs401WithAChallenge() throws Exception {
        RestApi.Answer answer = api.handle("GET", "/things", null, null, null);
        assertEquals(401, answer.status());
        assertTrue(answer.headers().get("WWW-Authenticate").startsWith("Basic realm=\"karaf\""));
        assertEquals("unauthorized", json.readTree(answer.body()).get("code").asText());
    }

    @Test
    public void wrongPasswordOrMalformedHeaderIs401() throws Exception {
        call(401, "GET", "/gateway", null, basic("karaf", "wrong"), null);
        call(401, "GET", "/gateway", null, "Basic !!!not-base64", null);
        call(401, "GET", "/gateway", null, "Bearer abc", null);
    }

    @Test
    public void aUserWithoutTheAdminRoleIs403() throws Exception {
        JsonNode error = call(403, "GET", "/gateway", null, VIEWER, null);
        assertEquals("forbidden", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("admin"));
    }

    @Test
    public void theOpenApiDocumentNeedsNoCredentials() throws Exception {
        JsonNode doc = call(200, "GET", "/openapi.json", null, null, null);
        assertEquals("3.0.3", doc.get("openapi").asText());
    }

    @Test
    public void gatewayShowsIdentityResourcesAndDrivers() throws Exception {
        JsonNode gw = get(200, "/gateway");
        assertEquals("gw-test", gw.at("/identity/gatewayId").asText());
        assertEquals("home", gw.at("/identity/instanceId").asText());
        assertEquals(4, gw.at("/resources/cpuCores").asInt());
        assertTrue(gw.at("/resources/batteryPercent").isNull());
        assertEquals("libvirt", gw.at("/drivers/0/name").asText());
        assertTrue(gw.at("/drivers/0/reachable").asBoolean());
    }

    @Test
    public void gatewayWithoutResourceMonitorStillAnswers() throws Exception {
        services.resourceMonitor = null;
        assertTrue(get(200, "/gateway").get("resources").isNull());
    }

    @Test
    public void thingsAndOneThingWithItsLastValues() throws Exception {
        JsonNode things = get(200, "/things");
        assertEquals(1, things.size());
        assertEquals(FakeServices.THING_ID, things.at("/0/id").asText());
        JsonNode thing = get(200, "/things/" + URLEncoder.encode(FakeServices.THING_ID, StandardCharsets.UTF_8));
        assertEquals("temperature", thing.get("type").asText());
        assertEquals(21.5, thing.at("/lastValues/0/value").asDouble(), 0);
        assertEquals("2026-11-21T10:00:00Z", thing.at("/lastValues/0/time").asText());
    }

    @Test
    public void anUnknownThingIs404() throws Exception {
        JsonNode error = get(404, "/things/nope");
        assertEquals("not-found", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("nope"));
    }

    @Test
    public void aThingIdWithAnEncodedSlashIsOneSegment() throws Exception {
        assertTrue(get(404, "/things/a%2Fb").get("message").asText().contains("'a/b'"));
    }

    @Test
    public void templatesAndTheirProblems() throws Exception {
        JsonNode t = get(200, "/templates");
        assertEquals("service-test-x86_64", t.at("/templates/0/name").asText());
        assertEquals("SERVICE", t.at("/templates/0/kind").asText());
        assertEquals("broken.json: no kind", t.at("/problems/0").asText());
    }

    @Test
    public void deployThroughPlacementThenStopResumeDestroy() throws Exception {
        JsonNode vm = call(201, "POST", "/vms", null, ADMIN, "{\"template\":\"service-test-x86_64\"}");
        assertEquals(List.of("placement"), services.deployedOn);
        String id = vm.get("id").asText();
        assertEquals(1, get(200, "/vms").size());
        assertEquals("STOPPED", call(200, "POST", "/vms/" + id + "/stop", null, ADMIN, null).get("state").asText());
        assertEquals("RUNNING", call(200, "POST", "/vms/" + id + "/resume", null, ADMIN, null).get("state").asText());
        assertEquals("DESTROYED", call(200, "DELETE", "/vms/" + id, null, ADMIN, null).get("state").asText());
        assertEquals(0, get(200, "/vms").size());
    }

    @Test
    public void deployOnANamedDriverSkipsPlacement() throws Exception {
        call(201, "POST", "/vms", null, ADMIN, "{\"template\":\"service-test-x86_64\",\"driver\":\"libvirt\"}");
        assertEquals(List.of("libvirt"), services.deployedOn);
    }

    @Test
    public void badDeployBodiesAre400AndUnknownTemplates404() throws Exception {
        call(400, "POST", "/vms", null, ADMIN, "");
        call(400, "POST", "/vms", null, ADMIN, "{not json");
        call(400, "POST", "/vms", null, ADMIN, "[1,2]");
        call(400, "POST", "/vms", null, ADMIN, "{\"template\":\"\"}");
        call(400, "POST", "/vms", null, ADMIN, "{\"template\":\"x\",\"driver\":3}");
        call(404, "POST", "/vms", null, ADMIN, "{\"template\":\"nope\"}");
        assertTrue(services.deployedOn.isEmpty());
    }

    @Test
    public void vmActionsOnAnUnknownVmAre404() throws Exception {
        call(404, "POST", "/vms/nope/stop", null, ADMIN, null);
        call(404, "DELETE", "/vms/nope", null, ADMIN, null);
    }

    @Test
    public void aRefusedVmOperationIs409WithTheReason() throws Exception {
        services.vms.put("vm-x", new org.betaas.api.vm.VmInstance("vm-x", "refuses", "libvirt", "gw-test",
                org.betaas.api.vm.VmState.RUNNING, FakeServices.T0, 1, 96));
        JsonNode error = call(409, "DELETE", "/vms/vm-x", null, ADMIN, null);
        assertTrue(error.get("message").asText().contains("retry later"));
    }

    @Test
    public void placementExplainShowsDecisionAndReasons() throws Exception {
        JsonNode d = call(200, "GET", "/placement/explain", "template=service-test-x86_64", ADMIN, null);
        assertEquals("local", d.get("decision").asText());
        assertEquals("gw-test", d.get("target").asText());
        assertEquals("rule 1: local first", d.at("/reasons/1").asText());
        call(400, "GET", "/placement/explain", null, ADMIN, null);
        call(400, "GET", "/placement/explain", "template=", ADMIN, null);
        call(404, "GET", "/placement/explain", "template=nope", ADMIN, null);
    }

    @Test
    public void forecastGivesSeriesWithNullForMissedSamplesAndTheBand() throws Exception {
        JsonNode f = get(200, "/resources/forecast");
        assertEquals(60, f.get("intervalSeconds").asInt());
        assertEquals(3, f.get("resources").size()); // no battery: all NaN
        JsonNode cpu = f.at("/resources/0");
        assertEquals("CPU", cpu.get("kind").asText());
        assertTrue(cpu.at("/series/1").isNull());
        assertEquals(0.5, cpu.at("/forecast/upper/1").asDouble(), 0);
        assertEquals(1, call(200, "GET", "/resources/forecast", "kind=memory", ADMIN, null).get("resources").size());
        call(400, "GET", "/resources/forecast", "kind=disk", ADMIN, null);
    }

    @Test
    public void cloudPasswordIsWriteOnly() throws Exception {
        JsonNode c = call(200, "PUT", "/cloud", null, ADMIN, "{\"provider\":\"openstack\",\"authUrl\":"
                + "\"https://cloud.example.org:5000/v3\",\"user\":\"betaas\",\"password\":\"s3cret!\",\"maxVms\":\"3\"}");
        assertEquals("s3cret!", services.cloud.stored.get("password"));
        assertEquals(3, services.cloud.stored.get("maxVms"));
        assertTrue(c.get("passwordSet").asBoolean());
        assertFalse(c.toString(), c.toString().contains("s3cret"));
        // an empty password keeps the stored one
        call(200, "PUT", "/cloud", null, ADMIN, "{\"user\":\"other\",\"password\":\"\"}");
        assertEquals("s3cret!", services.cloud.stored.get("password"));
        assertFalse(get(200, "/cloud").toString().contains("s3cret"));
    }

    @Test
    public void badCloudFormsAre400NamingTheField() throws Exception {
        assertTrue(call(400, "PUT", "/cloud", null, ADMIN, "{\"maxVms\":-1}").get("message").asText().contains("maxVms"));
        assertTrue(call(400, "PUT", "/cloud", null, ADMIN, "{\"authUrl\":\"ftp://x\"}").get("message").asText()
                .contains("authUrl"));
        JsonNode withCredentials = call(400, "PUT", "/cloud", null, ADMIN, "{\"authUrl\":\"https://u:pw@x/v3\"}");
        assertFalse(withCredentials.toString().contains("pw@"));
        call(400, "PUT", "/cloud", null, ADMIN, "{\"provider\":\"aws\"}");
        call(400, "PUT", "/cloud", null, ADMIN, "{\"colour\":\"red\"}");
    }

    @Test
    public void everyEndpointAnswers503WhenItsServiceIsNotInstalled() throws Exception {
        services.uninstallAll();
        for (String[] c : List.of(new String[] {"GET", "/gateway", null, null}, new String[] {"GET", "/things", null, null},
                new String[] {"GET", "/things/x", null, null}, new String[] {"GET", "/templates", null, null},
                new String[] {"GET", "/vms", null, null}, new String[] {"POST", "/vms", null, "{\"template\":\"t\"}"},
                new String[] {"POST", "/vms/x/stop", null, null}, new String[] {"POST", "/vms/x/resume", null, null},
                new String[] {"DELETE", "/vms/x", null, null},
                new String[] {"GET", "/placement/explain", "template=t", null},
                new String[] {"GET", "/resources/forecast", null, null}, new String[] {"GET", "/cloud", null, null},
                new String[] {"PUT", "/cloud", null, "{}"})) {
            JsonNode error = call(503, c[0], c[1], c[2], ADMIN, c[3]);
            assertEquals(c[1], "service-unavailable", error.get("code").asText());
        }
    }

    @Test
    public void everyRouteOfTheTableIsCoveredByTheRequestsAbove() {
        // keeps this test class honest when a route is added
        assertEquals(13, api.routes().size());
    }

    @Test
    public void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertEquals("not-found", get(404, "/nothing/here").get("code").asText());
        RestApi.Answer answer = api.handle("DELETE", "/things", null, ADMIN, null);
        assertEquals(405, answer.status());
        assertEquals("GET", answer.headers().get("Allow"));
    }

    @Test
    public void aFailingServiceIs500WithoutItsDetails() throws Exception {
        services.thingRegistry = FakeServices.proxy(org.betaas.api.things.ThingRegistry.class, Map.of(
                "things", a -> {
                    throw new IllegalStateException("db password=xyz broken");
                }));
        JsonNode error = get(500, "/things");
        assertFalse(error.toString().contains("xyz"));
        assertNull(error.get("stack"));
    }
}
