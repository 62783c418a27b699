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
                new String[] {"PUT", "/cloud", null, "{}"}, new String[] {"POST", "/apps", null, "{}"},
                new String[] {"GET", "/apps", null, null}, new String[] {"GET", "/apps/x", null, null},
                new String[] {"DELETE", "/apps/x", null, null}, new String[] {"GET", "/instance", null, null},
                new String[] {"GET", "/gateways", null, null}, new String[] {"GET", "/incidents", null, null},
                new String[] {"GET", "/things/x/measurements", "since=15m", null},
                new String[] {"GET", "/bigdata", null, null}, new String[] {"GET", "/dependability", null, null})) {
            JsonNode error = call(503, c[0], c[1], c[2], ADMIN, c[3]);
            assertEquals(c[1], "service-unavailable", error.get("code").asText());
        }
    }

    @Test
    public void everyRouteOfTheTableIsCoveredByTheRequestsAbove() {
        // keeps this test class honest when a route is added
        assertEquals(27, api.routes().size());
    }

    @Test
    public void appEndpointsAnswer503WithTheirTokenWhenTheServiceManagerIsNotInstalled() throws Exception {
        services.uninstallAll();
        for (String[] c : List.of(new String[] {"GET", "/app/things", null}, new String[] {"GET", "/app/things/x", null},
                new String[] {"POST", "/app/things/x/actuate", "{\"command\":\"on\"}"},
                new String[] {"GET", "/app/things/x/measurements", null})) {
            assertEquals(c[1], "service-unavailable", call(503, c[0], c[1], null, "Bearer t", c[2]).get("code").asText());
        }
    }

    // --- applications -------------------------------------------------------------------------------------------

    private JsonNode install(String manifest) throws Exception {
        return call(201, "POST", "/apps", null, ADMIN, manifest);
    }

    private static String bearer(JsonNode installed) {
        return "Bearer " + installed.get("token").asText();
    }

    @Test
    public void installingAnAppShowsItsTokenOnceAndNeverAgain() throws Exception {
        JsonNode app = install("{\"name\":\"weather\",\"owner\":\"ops\",\"things\":[{\"type\":\"temperature\"}]}");
        String token = app.get("token").asText();
        assertEquals("weather", app.get("name").asText());
        assertEquals(FakeServices.THING_ID, app.at("/granted/0").asText());
        assertEquals("temperature", app.at("/needs/0/type").asText());
        assertTrue(app.get("tokenNote").asText().contains("only once"));
        JsonNode list = get(200, "/apps");
        assertEquals(1, list.size());
        assertEquals("ops", list.at("/0/owner").asText());
        JsonNode one = get(200, "/apps/weather");
        assertEquals("temperature", one.at("/grantedThings/0/type").asText());
        assertFalse("a token in GET /apps", list.toString().contains(token));
        assertFalse("a token in GET /apps/weather", one.toString().contains(token));
        assertTrue(list.at("/0/token").isMissingNode());
    }

    @Test
    public void badManifestsAre400AndATakenName409() throws Exception {
        assertTrue(call(400, "POST", "/apps", null, ADMIN, "").get("message").asText().contains("manifest"));
        assertTrue(call(400, "POST", "/apps", null, ADMIN, "{\"owner\":\"x\"}").get("message").asText()
                .contains("'name'"));
        call(400, "POST", "/apps", null, ADMIN, "{not json");
        install("{\"name\":\"a\",\"things\":[]}");
        JsonNode taken = call(409, "POST", "/apps", null, ADMIN, "{\"name\":\"a\",\"things\":[]}");
        assertEquals("conflict", taken.get("code").asText());
        assertTrue(taken.get("message").asText().contains("uninstall"));
        services.apps.databaseDown = true;
        call(503, "POST", "/apps", null, ADMIN, "{\"name\":\"b\",\"things\":[]}");
    }

    @Test
    public void unknownAppsAre404AndUninstallRevokesTheToken() throws Exception {
        assertTrue(get(404, "/apps/nope").get("message").asText().contains("'nope'"));
        call(404, "DELETE", "/apps/nope", null, ADMIN, null);
        JsonNode app = install("{\"name\":\"weather\",\"things\":[{\"type\":\"temperature\"}]}");
        call(200, "GET", "/app/things", null, bearer(app), null);
        JsonNode gone = call(200, "DELETE", "/apps/weather", null, ADMIN, null);
        assertTrue(gone.get("uninstalled").asBoolean());
        get(404, "/apps/weather");
        call(401, "GET", "/app/things", null, bearer(app), null);
    }

    @Test
    public void appAdministrationNeedsAnAdminNotAToken() throws Exception {
        JsonNode app = install("{\"name\":\"weather\",\"things\":[{\"type\":\"temperature\"}]}");
        for (String[] c : List.of(new String[] {"GET", "/apps"}, new String[] {"GET", "/apps/weather"},
                new String[] {"DELETE", "/apps/weather"}, new String[] {"GET", "/things"}, new String[] {"GET", "/cloud"},
                new String[] {"GET", "/incidents"}, new String[] {"GET", "/instance"}, new String[] {"GET", "/gateways"},
                new String[] {"GET", "/things/" + FakeServices.THING_ID + "/measurements"},
                new String[] {"GET", "/bigdata"}, new String[] {"GET", "/dependability"})) {
            JsonNode error = call(401, c[0], c[1], null, bearer(app), null);
            assertTrue(error.toString(), error.get("message").asText().contains("app token is not accepted"));
            call(401, c[0], c[1], null, null, null);
            call(403, c[0], c[1], null, VIEWER, null);
        }
        call(401, "POST", "/apps", null, bearer(app), "{\"name\":\"x\",\"things\":[]}");
        call(403, "POST", "/apps", null, VIEWER, "{\"name\":\"x\",\"things\":[]}");
        assertEquals(1, services.apps.apps.size());
    }

    @Test
    public void anAppReadsItsGrantedThingsWithItsToken() throws Exception {
        JsonNode app = install("{\"name\":\"weather\",\"things\":[{\"type\":\"temperature\"}]}");
        JsonNode things = call(200, "GET", "/app/things", null, bearer(app), null);
        assertEquals(1, things.size());
        assertEquals(FakeServices.THING_ID, things.at("/0/id").asText());
        JsonNode thing = call(200, "GET", "/app/things/" + URLEncoder.encode(FakeServices.THING_ID,
                StandardCharsets.UTF_8), null, "bearer  " + app.get("token").asText(), null);
        assertEquals(21.5, thing.at("/lastValues/0/value").asDouble(), 0);
    }

    @Test
    public void anAppCannotReadAnotherAppsThingEvenIfItExists() throws Exception {
        install("{\"name\":\"weather\",\"things\":[{\"type\":\"temperature\"}]}");
        JsonNode lights = install("{\"name\":\"lights\",\"things\":[{\"type\":\"lamp\"}]}");
        JsonNode error = call(403, "GET", "/app/things/" + FakeServices.THING_ID, null, bearer(lights), null);
        assertEquals("forbidden", error.get("code").asText());
        assertTrue(error.get("message").asText().contains(FakeServices.THING_ID));
        // not granted and not existing: the same 403 (an app learns nothing of other things)
        assertEquals("forbidden", call(403, "GET", "/app/things/nope", null, bearer(lights), null).get("code").asText());
        assertEquals(1, call(200, "GET", "/app/things", null, bearer(lights), null).size());
    }

    @Test
    public void aGrantedThingTheGatewayForgotIs404() throws Exception {
        JsonNode ghost = install("{\"name\":\"g\",\"things\":[{\"type\":\"ghost\"}]}");
        assertTrue(call(404, "GET", "/app/things/" + FakeApps.GHOST, null, bearer(ghost), null).get("message").asText()
                .contains(FakeApps.GHOST));
    }

    @Test
    public void appEndpointsRefuseUserCredentialsAndUnknownTokens() throws Exception {
        for (String auth : new String[] {null, ADMIN, "Bearer ", "Bearer nope", "Token abc"}) {
            RestApi.Answer answer = api.handle("GET", "/app/things", null, auth, null);
            assertEquals(String.valueOf(auth), 401, answer.status());
            assertEquals("Bearer realm=\"betaas-apps\"", answer.headers().get("WWW-Authenticate"));
            JsonNode error = json.readTree(answer.body());
            assertEquals("unauthorized", error.get("code").asText());
            assertTrue(error.toString(), error.get("message").asText().contains("token"));
        }
        call(401, "GET", "/app/things/x", null, ADMIN, null);
        call(401, "POST", "/app/things/x/actuate", null, ADMIN, "{\"command\":\"on\"}");
        assertTrue(services.apps.commands.isEmpty());
    }

    @Test
    public void anAppDrivesOnlyItsGrantedActuators() throws Exception {
        JsonNode lights = install("{\"name\":\"lights\",\"things\":[{\"type\":\"lamp\"},{\"type\":\"temperature\"}]}");
        JsonNode weather = install("{\"name\":\"weather\",\"things\":[{\"type\":\"temperature\"}]}");
        JsonNode sent = call(200, "POST", "/app/things/" + FakeApps.LAMP + "/actuate", null, bearer(lights),
                "{\"command\":\"on\"}");
        assertTrue(sent.get("sent").asBoolean());
        assertEquals(List.of(FakeApps.LAMP + " on"), services.apps.commands);
        call(403, "POST", "/app/things/" + FakeApps.LAMP + "/actuate", null, bearer(weather), "{\"command\":\"off\"}");
        call(403, "POST", "/app/things/" + FakeServices.THING_ID + "/actuate", null, bearer(lights),
                "{\"command\":\"off\"}");
        assertTrue(call(400, "POST", "/app/things/" + FakeApps.LAMP + "/actuate", null, bearer(lights), "{}")
                .get("message").asText().contains("command"));
        call(400, "POST", "/app/things/" + FakeApps.LAMP + "/actuate", null, bearer(lights), "");
        call(400, "POST", "/app/things/" + FakeApps.LAMP + "/actuate", null, bearer(lights), "{\"command\":3}");
        assertEquals(1, services.apps.commands.size());
        JsonNode ghost = install("{\"name\":\"g\",\"things\":[{\"type\":\"ghost\"}]}");
        assertEquals("not-found", call(404, "POST", "/app/things/" + FakeApps.GHOST + "/actuate", null, bearer(ghost),
                "{\"command\":\"on\"}").get("code").asText());
    }

    @Test
    public void requestsNeverShowTheirTokenWhenPrinted() {
        ApiRequest request = new ApiRequest("GET", List.of("app", "things"), Map.of(), null).withAppToken("tok-secret");
        assertFalse(request.toString().contains("tok-secret"));
    }

    // --- instance and incidents ---------------------------------------------------------------------------------

    @Test
    public void instanceShowsTheMembershipWithoutTheKey() throws Exception {
        JsonNode i = get(200, "/instance");
        assertEquals("JOINED", i.get("state").asText());
        assertEquals("home", i.get("instanceId").asText());
        assertTrue(i.get("keyConfigured").asBoolean());
        assertEquals(12, i.at("/counters/accepted").asInt());
    }

    @Test
    public void gatewaysShowTheLivePeerView() throws Exception {
        JsonNode g = get(200, "/gateways");
        assertEquals(2, g.size());
        JsonNode self = g.get(0);
        assertEquals("gw-test", self.get("gatewayId").asText());
        assertTrue(self.get("online").asBoolean());
        assertEquals(1.0, self.get("trust").asDouble(), 0);
        assertEquals(4, self.at("/resources/cpuCores").asInt());
        assertEquals(5, self.at("/headroom/available/vcpus").asDouble(), 1e-9); // 8 - 1 - 2
        assertEquals(2, self.at("/headroom/forecastUpper/vcpus").asDouble(), 0);
        assertEquals("vm-1", self.at("/vms/0/id").asText());
        JsonNode peer = g.get(1);
        assertFalse(peer.get("online").asBoolean());
        assertEquals(0.42, peer.get("trust").asDouble(), 0);
        assertTrue(peer.get("resources").isNull());
        assertTrue(peer.get("lastSeen").isNull());
        assertEquals(0, peer.get("vms").size());
    }

    @Test
    public void incidentsTakeALimitAndRefuseABadOne() throws Exception {
        JsonNode list = get(200, "/incidents");
        assertEquals("vm-3", list.at("/0/subject").asText());
        assertEquals("recovered", list.at("/0/outcome").asText());
        assertEquals("VM", list.at("/0/kind").asText());
        call(200, "GET", "/incidents", "limit=5", ADMIN, null);
        assertEquals(List.of(BetaasApi.DEFAULT_INCIDENTS, 5), services.incidentLimits);
        for (String bad : new String[] {"limit=abc", "limit=0", "limit=-3", "limit=1001", "limit=2.5", "limit="}) {
            assertTrue(bad, call(400, "GET", "/incidents", bad, ADMIN, null).get("message").asText().contains("limit"));
        }
        assertEquals(2, services.incidentLimits.size());
    }

    // --- stored history, Big Data and dependability -------------------------------------------------------------

    private static final String HISTORY = "/things/" + FakeServices.THING_ID + "/measurements";
    private static final String RANGE = "from=2026-11-21T10:00:00Z&to=2026-11-21T10:02:00Z";

    @Test
    public void measurementsOfAThingInARangeOldestFirst() throws Exception {
        JsonNode h = call(200, "GET", HISTORY, RANGE, ADMIN, null);
        assertEquals(FakeServices.THING_ID, h.get("thingId").asText());
        assertEquals("2026-11-21T10:00:00Z", h.get("from").asText());
        assertEquals("2026-11-21T10:02:00Z", h.get("to").asText());
        assertTrue(h.get("name").isNull());
        assertEquals(4, h.get("measurements").size());
        assertEquals(20.0, h.at("/measurements/0/value").asDouble(), 0);
        assertEquals("humidity", h.at("/measurements/1/name").asText());
        assertEquals("2026-11-21T10:01:10Z", h.at("/measurements/3/time").asText());
        assertFalse(h.get("truncated").asBoolean());
        assertEquals(HistoryQuery.DEFAULT_LIMIT, h.get("limit").asInt());
        // one more than the limit is asked for, to tell whether the answer was cut
        assertEquals(List.of("measurements", FakeServices.THING_ID, Optional.empty(), FakeServices.T0,
                FakeServices.T0.plusSeconds(120), HistoryQuery.DEFAULT_LIMIT + 1), services.bigDataCalls.get(0));
    }

    @Test
    public void measurementsByNameWithALimitSayWhenTheyWereCut() throws Exception {
        JsonNode h = call(200, "GET", HISTORY, RANGE + "&name=&limit=2", ADMIN, null);
        assertEquals(2, h.get("measurements").size());
        assertTrue(h.get("truncated").asBoolean());
        JsonNode celsius = call(200, "GET", HISTORY, RANGE + "&limit=5&name=humidity", ADMIN, null);
        assertEquals("humidity", celsius.get("name").asText());
        assertEquals(1, celsius.get("measurements").size());
        assertEquals(40.0, celsius.at("/measurements/0/value").asDouble(), 0);
        assertFalse(celsius.get("truncated").asBoolean());
    }

    @Test
    public void sinceIsTheLastStretchUpToNow() throws Exception {
        java.time.Instant before = java.time.Instant.now();
        JsonNode h = call(200, "GET", HISTORY, "since=15m", ADMIN, null);
        java.time.Instant to = java.time.Instant.parse(h.get("to").asText());
        java.time.Instant from = java.time.Instant.parse(h.get("from").asText());
        assertFalse(to.isBefore(before));
        assertEquals(java.time.Duration.ofMinutes(15), java.time.Duration.between(from, to));
        assertEquals(0, h.get("measurements").size()); // the fake's values are from 2026-11-21
        call(200, "GET", HISTORY, "since=PT2H", ADMIN, null);
        // no range given: the last hour
        JsonNode dflt = get(200, HISTORY);
        assertEquals(java.time.Duration.ofHours(1), java.time.Duration.between(
                java.time.Instant.parse(dflt.get("from").asText()), java.time.Instant.parse(dflt.get("to").asText())));
    }

    @Test
    public void bucketsGiveCountMinMaxMeanPerBucket() throws Exception {
        JsonNode h = call(200, "GET", HISTORY, RANGE + "&bucket=60s&name=", ADMIN, null);
        assertEquals("PT1M", h.get("bucket").asText());
        assertEquals(60, h.get("bucketSeconds").asInt());
        assertTrue(h.get("measurements") == null);
        JsonNode first = h.at("/aggregates/0");
        assertEquals("2026-11-21T10:00:00Z", first.get("from").asText());
        assertEquals("2026-11-21T10:01:00Z", first.get("to").asText());
        assertEquals(3, first.get("count").asInt());
        assertEquals(20.0, first.get("min").asDouble(), 0);
        assertEquals(40.0, first.get("max").asDouble(), 0);
        assertEquals(27.0, first.get("mean").asDouble(), 1e-9);
        assertEquals(1, h.at("/aggregates/1/count").asInt());
        assertEquals(23.0, h.at("/aggregates/1/mean").asDouble(), 0);
        assertEquals(java.time.Duration.ofSeconds(60), services.bigDataCalls.get(0).get(5));
        JsonNode named = call(200, "GET", HISTORY, RANGE + "&bucket=1m&name=humidity", ADMIN, null);
        assertEquals(1, named.get("aggregates").size());
        assertEquals(40.0, named.at("/aggregates/0/min").asDouble(), 0);
    }

    @Test
    public void badHistoryParametersAre400NamingTheParameterAndItsForm() throws Exception {
        String[][] cases = {
            {"since=15", "since"}, {"since=abc", "since"}, {"since=-5m", "since"}, {"since=0s", "since"},
            {"since=", "since"}, {"from=yesterday", "from"}, {"from=2026-11-21", "from"}, {"to=noon", "to"},
            {"from=2026-11-21T11:00:00Z&to=2026-11-21T10:00:00Z", "from"},
            {"since=15m&from=2026-11-21T10:00:00Z", "since"}, {"limit=0", "limit"}, {"limit=abc", "limit"},
            {"limit=10001", "limit"}, {"limit=", "limit"}, {RANGE + "&bucket=fast", "bucket"},
            {RANGE + "&bucket=500ms", "bucket"}, {RANGE + "&bucket=PT0.5S", "bucket"},
            {"from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=1s", "bucket"}};
        for (String[] c : cases) {
            JsonNode error = call(400, "GET", HISTORY, c[0], ADMIN, null);
            String message = error.get("message").asText();
            assertTrue(c[0] + ": " + message, message.startsWith(c[1]) || message.contains(" " + c[1]));
            assertEquals("bad-request", error.get("code").asText());
        }
        assertTrue(call(400, "GET", HISTORY, "since=1x", ADMIN, null).get("message").asText().contains("15m"));
        assertTrue(call(400, "GET", HISTORY, "from=x", ADMIN, null).get("message").asText().contains("ISO-8601"));
        assertTrue("nothing was asked of the Big Data Manager", services.bigDataCalls.isEmpty());
    }

    @Test
    public void anUnknownThingIs404ButAThingTheRegistryForgotKeepsItsHistory() throws Exception {
        JsonNode error = call(404, "GET", "/things/nope/measurements", RANGE, ADMIN, null);
        assertTrue(error.get("message").asText().contains("'nope'"));
        JsonNode old = call(200, "GET", "/things/" + FakeServices.OLD_THING + "/measurements", RANGE, ADMIN, null);
        assertEquals(5.0, old.at("/measurements/0/value").asDouble(), 0);
        // without the thing registry, the stored history decides
        services.thingRegistry = null;
        assertEquals(4, call(200, "GET", HISTORY, RANGE, ADMIN, null).get("measurements").size());
        call(404, "GET", "/things/nope/measurements", null, ADMIN, null);
    }

    @Test
    public void historyAnswers503WithoutTheBigDataManagerOrItsDatabase() throws Exception {
        services.bigDataDown = true;
        JsonNode down = call(503, "GET", HISTORY, RANGE, ADMIN, null);
        assertTrue(down.get("message").asText().contains("connection refused"));
        services.bigData = null;
        JsonNode error = call(503, "GET", HISTORY, RANGE, ADMIN, null);
        assertEquals("service-unavailable", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("BigDataManager")
                && error.get("message").asText().contains("betaas-bigdata"));
        // the rest of the API stays up
        get(200, "/things/" + FakeServices.THING_ID);
    }

    @Test
    public void anAppReadsTheHistoryOfItsGrantedThingsOnly() throws Exception {
        JsonNode weather = install("{\"name\":\"weather\",\"things\":[{\"type\":\"temperature\"}]}");
        JsonNode lights = install("{\"name\":\"lights\",\"things\":[{\"type\":\"lamp\"}]}");
        String path = "/app" + HISTORY;
        JsonNode h = call(200, "GET", path, RANGE, bearer(weather), null);
        assertEquals(4, h.get("measurements").size());
        JsonNode b = call(200, "GET", path, RANGE + "&bucket=60s", bearer(weather), null);
        assertEquals(3, b.at("/aggregates/0/count").asInt());
        assertTrue(call(400, "GET", path, "since=soon", bearer(weather), null).get("message").asText()
                .startsWith("since"));
        // another app's thing, an unknown thing: the same 403, nothing asked of the Big Data Manager
        services.bigDataCalls.clear();
        JsonNode forbidden = call(403, "GET", path, RANGE, bearer(lights), null);
        assertEquals("forbidden", forbidden.get("code").asText());
        call(403, "GET", "/app/things/nope/measurements", RANGE, bearer(lights), null);
        call(401, "GET", path, RANGE, ADMIN, null);
        call(401, "GET", path, RANGE, "Bearer nope", null);
        assertTrue(services.bigDataCalls.isEmpty());
        JsonNode ghost = install("{\"name\":\"g\",\"things\":[{\"type\":\"ghost\"}]}");
        call(404, "GET", "/app/things/" + FakeApps.GHOST + "/measurements", null, bearer(ghost), null);
        services.bigData = null;
        assertTrue(call(503, "GET", path, RANGE, bearer(weather), null).get("message").asText()
                .contains("BigDataManager"));
    }

    @Test
    public void bigDataStatusShowsVolumeThresholdsAndNodesButNeverTheDatabasePassword() throws Exception {
        JsonNode s = get(200, "/bigdata");
        assertEquals(1234, s.get("rows").asLong());
        assertEquals(56789, s.get("bytes").asLong());
        assertEquals("PT168H", s.get("retention").asText());
        assertEquals(7 * 86400, s.get("retentionSeconds").asLong());
        assertEquals(2.5, s.get("queriesPerMinute").asDouble(), 0);
        assertEquals(1_000_000, s.at("/thresholds/storageRowsHigh").asLong());
        assertEquals(0.5, s.at("/thresholds/releaseFraction").asDouble(), 0);
        assertEquals("vm-9", s.at("/nodes/0/vmId").asText());
        assertEquals("STORAGE", s.at("/nodes/0/role").asText());
        assertEquals("rows 1000001 >= 1000000", s.at("/nodes/0/reason").asText());
        assertEquals("bigdata-compute-x86_64", s.get("computeTemplate").asText());
        assertEquals(0, s.get("problems").size());
        assertFalse(s.toString(), s.toString().contains("pg-S3cret"));
        assertEquals("jdbc:postgresql://db.local:5432/betaas?password=***", s.get("database").asText());
        services.bigData = null;
        get(503, "/bigdata");
    }

    @Test
    public void dependabilityShowsWhatIsWatchedTheLastStatesAndRecoveriesUnderWay() throws Exception {
        JsonNode d = get(200, "/dependability");
        assertEquals("2026-11-21T10:00:30Z", d.get("polled").asText());
        assertEquals("[\"COMPONENT\",\"VM\"]", d.get("kinds").toString());
        assertEquals(1, d.get("failing").asInt());
        assertEquals("[\"vm-3\"]", d.get("recovering").toString());
        JsonNode component = d.at("/subjects/0");
        assertEquals("org.betaas.taas.vm", component.get("name").asText());
        assertEquals("ACTIVE", component.get("state").asText());
        assertTrue(component.get("nextAttempt").isNull());
        assertTrue(component.get("lastProgress").isNull());
        JsonNode vm = d.at("/subjects/1");
        assertEquals("VM", vm.get("kind").asText());
        assertEquals("CRASHED", vm.get("state").asText());
        assertTrue(vm.get("failing").asBoolean() && vm.get("seenHealthy").asBoolean());
        assertEquals(1, vm.get("attempts").asInt());
        assertEquals("2026-11-21T10:00:34Z", vm.get("nextAttempt").asText());
        assertEquals("2026-11-21T10:00:10Z", vm.get("lastProgress").asText());
        // a manager that has not looked yet
        services.dependability = FakeServices.proxy(org.betaas.api.dependability.DependabilityManager.class,
                Map.of("watched", a -> org.betaas.api.dependability.Watched.none()));
        JsonNode none = get(200, "/dependability");
        assertTrue(none.get("polled").isNull());
        assertEquals(0, none.get("subjects").size());
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
