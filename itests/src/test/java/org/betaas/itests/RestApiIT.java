package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Dictionary;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.things.Measurement;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The REST API over real HTTP on the booted distribution: authentication through Karaf JAAS, JSON bodies for
 * 200/400/401/403/404/503, the OpenAPI document, and the write-only cloud password.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestApiIT extends BetaasTestSupport {

    private static final String GATEWAY_ID = "itest-rest-gw";
    private static final String ADMIN = RestClient.ADMIN;
    private static final String BROKER_PORT = freePort();

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private RestClient rest;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.betaas.gateway.cfg", "gateway.id", GATEWAY_ID),
            // the simulated things on a broker port of this test's own
            simulatedThingsOnBroker(BROKER_PORT),
            // a user without the admin role, for the 403
            editConfigurationFilePut("etc/users.properties", "viewer", "viewer1,viewer")
        };
    }

    private static String basic(String user, String password) {
        return RestClient.basic(user, password);
    }

    @Before
    public void apiIsUp() throws Exception {
        rest = new RestClient(httpPort());
        assertBundlesActive("org.betaas.service.rest");
        rest.awaitUp();
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        return rest.send(method, path, authorization, body);
    }

    private String expect(int status, String method, String path, String authorization, String body) throws Exception {
        return rest.expect(status, method, path, authorization, body);
    }

    @Test
    public void theOpenApiDocumentIsPublicAndListsTheRoutes() throws Exception {
        String doc = expect(200, "GET", "/openapi.json", null, null);
        for (String path : new String[] {"\"/gateway\"", "\"/things/{id}\"", "\"/vms/{id}/stop\"", "\"/placement/explain\"",
                "\"/resources/forecast\"", "\"/cloud\"", "\"/templates\"", "\"/apps\"", "\"/apps/{name}\"",
                "\"/app/things\"", "\"/app/things/{id}\"", "\"/app/things/{id}/actuate\"", "\"/instance\"",
                "\"/gateways\"", "\"/incidents\"", "\"bearerAuth\"", "\"/things/{id}/measurements\"",
                "\"/app/things/{id}/measurements\"", "\"/bigdata\"", "\"/dependability\""}) {
            assertTrue(path, doc.contains(path));
        }
    }

    @Test
    public void withoutOrWithWrongCredentialsTheAnswerIs401() throws Exception {
        HttpResponse<String> response = send("GET", "/gateway", null, null);
        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
        assertTrue(response.body(), response.body().contains("\"code\":\"unauthorized\""));
        expect(401, "GET", "/gateway", basic("karaf", "wrong"), null);
    }

    @Test
    public void aUserWithoutTheAdminRoleGets403() throws Exception {
        String error = expect(403, "GET", "/gateway", basic("viewer", "viewer1"), null);
        assertTrue(error, error.contains("\"code\":\"forbidden\""));
    }

    @Test
    public void gatewayShowsTheConfiguredIdentityAndResources() throws Exception {
        String gw = expect(200, "GET", "/gateway", ADMIN, null);
        assertTrue(gw, gw.contains("\"gatewayId\":\"" + GATEWAY_ID + "\""));
        assertTrue(gw, gw.matches("(?s).*\"cpuCores\":\\d+.*"));
        assertTrue(gw, gw.contains("\"drivers\":["));
    }

    @Test
    public void unknownRoutesAndVmsAre404() throws Exception {
        assertTrue(expect(404, "GET", "/no/such/endpoint", ADMIN, null).contains("\"code\":\"not-found\""));
        String vm = send("POST", "/vms/no-such-vm/stop", ADMIN, null).body();
        // 404 when the VM Manager is installed, 503 while it is not
        assertTrue(vm, vm.contains("\"code\":\"not-found\"") || vm.contains("\"code\":\"service-unavailable\""));
    }

    @Test
    public void badRequestsAre400() throws Exception {
        assertTrue(expect(400, "GET", "/placement/explain", ADMIN, null).contains("template"));
        expect(400, "PUT", "/cloud", ADMIN, "{\"maxVms\":\"many\"}");
        expect(400, "PUT", "/cloud", ADMIN, "not json");
    }

    @Test
    public void anEndpointAnswers503WhileItsServiceIsGone() throws Exception {
        ServiceReference<ResourceHistory> ref = bundleContext.getServiceReference(ResourceHistory.class);
        if (ref == null) {
            expect(503, "GET", "/resources/forecast", ADMIN, null);
            return;
        }
        Bundle provider = ref.getBundle();
        expect(200, "GET", "/resources/forecast", ADMIN, null);
        provider.stop();
        try {
            String error = expect(503, "GET", "/resources/forecast", ADMIN, null);
            assertTrue(error, error.contains("\"code\":\"service-unavailable\"") && error.contains("ResourceHistory"));
            // the rest of the API stays up
            expect(200, "GET", "/gateway", ADMIN, null);
        } finally {
            provider.start();
        }
        awaitTrue("ResourceHistory to come back", () -> bundleContext.getServiceReference(ResourceHistory.class) != null);
        assertComponentsActive();
    }

    @Test
    public void theCloudPasswordIsWrittenToConfigurationButNeverShownBack() throws Exception {
        Configuration config = configurationAdmin.getConfiguration("org.betaas.vm.openstack", "?");
        Dictionary<String, Object> original = config.getProperties();
        try {
            String saved = expect(200, "PUT", "/cloud", ADMIN, "{\"provider\":\"openstack\",\"authUrl\":"
                    + "\"http://127.0.0.1:9/v3\",\"user\":\"betaas\",\"password\":\"it-S3cret\",\"project\":\"demo\","
                    + "\"maxVms\":2}");
            assertTrue(saved, saved.contains("\"passwordSet\":true"));
            assertFalse(saved, saved.contains("it-S3cret"));
            Dictionary<String, Object> stored = config.getProperties();
            assertNotNull(stored);
            assertEquals("it-S3cret", stored.get("password"));
            assertEquals("http://127.0.0.1:9/v3", stored.get("authUrl"));
            String read = expect(200, "GET", "/cloud", ADMIN, null);
            assertFalse(read, read.contains("it-S3cret"));
            Matcher maxVms = Pattern.compile("\"maxVms\":(\\d+)").matcher(read);
            assertTrue(read, maxVms.find());
            assertEquals("2", maxVms.group(1));
        } finally {
            if (original == null) {
                config.delete();
            } else {
                config.update(original);
            }
        }
    }

    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    @Test
    public void appsAreAdministeredByAnAdminAndTheirTokenOpensOnlyTheAppEndpoints() throws Exception {
        String manifest = "{\"name\": \"rest-itest\", \"owner\": \"itest\", \"things\": [{\"type\": \"itest-none\"}]}";
        expect(401, "POST", "/apps", null, manifest);
        expect(403, "POST", "/apps", basic("viewer", "viewer1"), manifest);
        String installed = expect(201, "POST", "/apps", ADMIN, manifest);
        Matcher m = TOKEN.matcher(installed);
        assertTrue(installed, m.find());
        String token = m.group(1);
        try {
            assertTrue(expect(409, "POST", "/apps", ADMIN, manifest).contains("rest-itest"));
            assertTrue(expect(400, "POST", "/apps", ADMIN, "{\"owner\": \"x\", \"things\": []}").contains("name"));
            expect(400, "POST", "/apps", ADMIN, "not json");
            String list = expect(200, "GET", "/apps", ADMIN, null);
            assertTrue(list, list.contains("\"name\":\"rest-itest\""));
            String one = expect(200, "GET", "/apps/rest-itest", ADMIN, null);
            assertTrue(one, one.contains("\"grantedThings\":[]") && one.contains("itest-none"));
            assertFalse("the token is shown again", list.contains(token) || one.contains(token));
            assertFalse(list.contains("\"token\""));
            expect(404, "GET", "/apps/no-such-app", ADMIN, null);
            expect(404, "DELETE", "/apps/no-such-app", ADMIN, null);

            // the token: app endpoints only
            String bearer = RestClient.bearer(token);
            assertEquals("[]", expect(200, "GET", "/app/things", bearer, null));
            expect(401, "GET", "/apps", bearer, null);
            expect(401, "GET", "/things", bearer, null);
            expect(401, "DELETE", "/apps/rest-itest", bearer, null);
            // user credentials do not open the app endpoints
            HttpResponse<String> asAdmin = send("GET", "/app/things", ADMIN, null);
            assertEquals(asAdmin.body(), 401, asAdmin.statusCode());
            assertTrue(asAdmin.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            expect(401, "GET", "/app/things", RestClient.bearer("not-a-token"), null);
            // things not granted: 403 whether they exist or not
            assertTrue(expect(403, "GET", "/app/things/sim-ambient-1", bearer, null).contains("\"code\":\"forbidden\""));
            expect(403, "GET", "/app/things/no-such-thing", bearer, null);
            expect(403, "POST", "/app/things/sim-ambient-1/actuate", bearer, "{\"command\": \"on\"}");
            expect(400, "POST", "/app/things/sim-ambient-1/actuate", bearer, "{}");
        } finally {
            String gone = expect(200, "DELETE", "/apps/rest-itest", ADMIN, null);
            assertTrue(gone, gone.contains("\"uninstalled\":true"));
        }
        expect(404, "GET", "/apps/rest-itest", ADMIN, null);
        expect(401, "GET", "/app/things", RestClient.bearer(token), null);
    }

    @Test
    public void instanceGatewaysAndIncidents() throws Exception {
        String instance = expect(200, "GET", "/instance", ADMIN, null);
        assertTrue(instance, instance.contains("\"gatewayId\":\"" + GATEWAY_ID + "\"") && instance.contains("\"state\":"));
        String gateways = expect(200, "GET", "/gateways", ADMIN, null);
        assertTrue(gateways, gateways.startsWith("[{\"gatewayId\":\"" + GATEWAY_ID + "\",\"self\":true"));
        assertTrue(gateways, gateways.contains("\"headroom\":{") && gateways.contains("\"trust\":"));
        expect(403, "GET", "/gateways", basic("viewer", "viewer1"), null);
        assertTrue(expect(200, "GET", "/incidents?limit=5", ADMIN, null).startsWith("["));
        assertTrue(expect(400, "GET", "/incidents?limit=abc", ADMIN, null).contains("limit"));
        expect(400, "GET", "/incidents?limit=0", ADMIN, null);
        expect(401, "GET", "/incidents", null, null);
    }

    private BigDataManager bigDataManager() {
        awaitTrue("the Big Data Manager (feature betaas-bigdata)",
                () -> bundleContext.getServiceReference(BigDataManager.class) != null);
        return bundleContext.getService(bundleContext.getServiceReference(BigDataManager.class));
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    public void aThingsStoredHistoryAndItsAggregatesPerBucket() throws Exception {
        String thing = "itest-rest-history-" + System.nanoTime();
        Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        bigDataManager().store(List.of(new Measurement(thing, "", t0.plusSeconds(1), "Cel", 20.0),
                new Measurement(thing, "", t0.plusSeconds(2), "Cel", 22.0),
                new Measurement(thing, "humidity", t0.plusSeconds(30), "%RH", 40.0),
                new Measurement(thing, "", t0.plusSeconds(61), "Cel", 30.0)));
        String path = "/things/" + thing + "/measurements";
        String range = "from=" + t0 + "&to=" + t0.plusSeconds(120);

        String all = expect(200, "GET", path + "?" + range, ADMIN, null);
        assertTrue(all, all.contains("\"thingId\":\"" + thing + "\"") && all.contains("\"truncated\":false"));
        assertEquals(all, 4, count(all, "\"time\":"));
        assertTrue(all, all.indexOf("\"value\":20.0") < all.indexOf("\"value\":30.0"));
        String celsius = expect(200, "GET", path + "?" + range + "&name=&limit=2", ADMIN, null);
        assertEquals(celsius, 2, count(celsius, "\"time\":"));
        assertTrue(celsius, celsius.contains("\"truncated\":true"));
        String humidity = expect(200, "GET", path + "?" + range + "&name=humidity", ADMIN, null);
        assertEquals(humidity, 1, count(humidity, "\"time\":"));
        String recent = expect(200, "GET", path + "?since=15m", ADMIN, null);
        assertEquals(recent, 4, count(recent, "\"time\":"));

        String buckets = expect(200, "GET", path + "?" + range + "&bucket=60s&name=", ADMIN, null);
        assertTrue(buckets, buckets.contains("\"bucketSeconds\":60"));
        assertTrue(buckets, buckets.contains("{\"from\":\"" + t0 + "\",\"to\":\"" + t0.plusSeconds(60)
                + "\",\"count\":3,\"min\":20.0,\"max\":40.0,\"mean\":27.33"));
        assertTrue(buckets, buckets.contains("\"count\":1,\"min\":30.0,\"max\":30.0,\"mean\":30.0}"));

        for (String[] bad : new String[][] {{"since=15", "since"}, {"from=yesterday", "from"}, {"to=noon", "to"},
                {range + "&bucket=fast", "bucket"}, {range + "&limit=0", "limit"}}) {
            String error = expect(400, "GET", path + "?" + bad[0], ADMIN, null);
            assertTrue(error, error.contains("\"message\":\"" + bad[1] + " '"));
        }
        assertTrue(expect(400, "GET", path + "?since=1x", ADMIN, null).contains("15m"));
        assertTrue(expect(404, "GET", "/things/no-such-thing-itest/measurements?since=1h", ADMIN, null)
                .contains("no-such-thing-itest"));
        expect(401, "GET", path, null, null);
        expect(403, "GET", path, basic("viewer", "viewer1"), null);
    }

    @Test
    public void anAppReadsNoHistoryOfThingsItWasNotGranted() throws Exception {
        String manifest = "{\"name\": \"rest-history-itest\", \"owner\": \"itest\", \"things\": [{\"type\": \"itest-none\"}]}";
        Matcher m = TOKEN.matcher(expect(201, "POST", "/apps", ADMIN, manifest));
        assertTrue(m.find());
        String bearer = RestClient.bearer(m.group(1));
        try {
            bigDataManager().store(List.of(new Measurement("itest-rest-secret", "", Instant.now().minusSeconds(5),
                    "Cel", 1.0)));
            String error = expect(403, "GET", "/app/things/itest-rest-secret/measurements?since=1h", bearer, null);
            assertTrue(error, error.contains("\"code\":\"forbidden\"") && !error.contains("\"value\""));
            expect(403, "GET", "/app/things/no-such-thing/measurements", bearer, null);
            expect(401, "GET", "/app/things/itest-rest-secret/measurements", ADMIN, null);
        } finally {
            expect(200, "DELETE", "/apps/rest-history-itest", ADMIN, null);
        }
    }

    @Test
    public void anAppReadsTheStoredHistoryOfItsGrantedSimulatedThing() throws Exception {
        awaitTrue("the simulator's sim-ambient-1 in GET /things", () -> {
            try {
                return send("GET", "/things", ADMIN, null).body().contains("\"id\":\"sim-ambient-1\"");
            } catch (Exception e) {
                return false;
            }
        });
        String manifest = "{\"name\": \"rest-climate-itest\", \"owner\": \"itest\", \"things\": [{\"type\":"
                + " \"temperature\", \"unit\": \"Cel\"}]}";
        Matcher m = TOKEN.matcher(expect(201, "POST", "/apps", ADMIN, manifest));
        assertTrue(m.find());
        String bearer = RestClient.bearer(m.group(1));
        String path = "/app/things/sim-ambient-1/measurements?since=15m";
        try {
            awaitTrue("sim-ambient-1's stored measurements through the app's token", () -> {
                try {
                    return expect(200, "GET", path, bearer, null)
                            .matches("(?s).*\"measurements\":\\[\\{.*\"unit\":\"Cel\",\"value\":-?[0-9.]+.*");
                } catch (Exception e) {
                    throw new AssertionError(e.getMessage(), e);
                }
            });
            String buckets = expect(200, "GET", path + "&bucket=60s", bearer, null);
            assertTrue(buckets, buckets.matches("(?s).*\"aggregates\":\\[\\{\"from\":\"[^\"]+\",\"to\":\"[^\"]+\","
                    + "\"count\":[1-9][0-9]*,\"min\":-?[0-9.]+.*"));
            assertTrue(expect(400, "GET", path + "&limit=many", bearer, null).contains("limit"));
            String admin = expect(200, "GET", "/things/sim-ambient-1/measurements?since=15m", ADMIN, null);
            assertTrue(admin, admin.contains("\"thingId\":\"sim-ambient-1\"") && admin.contains("\"unit\":\"Cel\""));
        } finally {
            expect(200, "DELETE", "/apps/rest-climate-itest", ADMIN, null);
        }
        expect(401, "GET", path, bearer, null);
    }

    @Test
    public void bigDataStatusAnd503WhileTheBigDataManagerIsGone() throws Exception {
        bigDataManager();
        String status = expect(200, "GET", "/bigdata", ADMIN, null);
        assertTrue(status, status.contains("\"database\":\"jdbc:h2:") && status.contains("\"rows\":")
                && status.contains("\"thresholds\":{") && status.contains("\"nodes\":["));
        assertFalse(status, status.toLowerCase(java.util.Locale.ROOT).contains("password"));
        expect(403, "GET", "/bigdata", basic("viewer", "viewer1"), null);
        Bundle provider = bundleContext.getServiceReference(BigDataManager.class).getBundle();
        provider.stop();
        try {
            assertTrue(expect(503, "GET", "/bigdata", ADMIN, null).contains("BigDataManager"));
            assertTrue(expect(503, "GET", "/things/x/measurements", ADMIN, null).contains("betaas-bigdata"));
            expect(200, "GET", "/gateway", ADMIN, null);
        } finally {
            provider.start();
        }
        bigDataManager();
        expect(200, "GET", "/bigdata", ADMIN, null);
        assertComponentsActive();
    }

    @Test
    public void dependabilityShowsWhatItWatches() throws Exception {
        // the REST bundle is a watched bundle (and its component a watched component) once the manager has looked
        awaitTrue("the Dependability Manager to have looked at the REST bundle", () -> {
            try {
                String d = send("GET", "/dependability", ADMIN, null).body();
                return d.contains("\"name\":\"org.betaas.service.rest\"");
            } catch (Exception e) {
                return false;
            }
        });
        String d = expect(200, "GET", "/dependability", ADMIN, null);
        assertTrue(d, d.matches("(?s)\\{\"polled\":\"[^\"]+\",\"kinds\":\\[.*\"BUNDLE\".*"));
        assertTrue(d, d.contains("\"recovering\":[") && d.contains("\"state\":\"ACTIVE\""));
        expect(401, "GET", "/dependability", null, null);
        expect(403, "GET", "/dependability", basic("viewer", "viewer1"), null);
    }

    @Test
    public void cloudInfoNeverPrintsThePasswordAndBadCloudConfigureInputChangesNothing() throws Exception {
        Configuration config = configurationAdmin.getConfiguration("org.betaas.vm.openstack", "?");
        Dictionary<String, Object> original = config.getProperties();
        java.nio.file.Path passwordFile = java.nio.file.Files.createTempFile("cloud", ".pw");
        try {
            String configured = executeCommand("betaas:cloud-configure --endpoint http://127.0.0.1:9/v3 --user shell-user"
                    + " --project demo --max-vms 3 --password-file " + passwordFile);
            assertTrue(configured, configured.contains("is empty"));
            java.nio.file.Files.writeString(passwordFile, "it-Shell-S3cret\n");
            configured = executeCommand("betaas:cloud-configure --endpoint http://127.0.0.1:9/v3 --user shell-user"
                    + " --project demo --max-vms 3 --password-file " + passwordFile);
            assertTrue(configured, configured.contains("Saved the cloud configuration"));
            assertFalse(configured, configured.contains("it-Shell-S3cret"));
            assertEquals("it-Shell-S3cret", config.getProperties().get("password"));

            String info = executeCommand("betaas:cloud-info");
            assertTrue(info, info.contains("http://127.0.0.1:9/v3") && info.contains("shell-user"));
            assertTrue(info, info.matches("(?s).*VM limit\\s+3.*"));
            assertTrue(info, info.contains("Password    set"));
            assertTrue(info, info.contains("Reachable   "));
            assertFalse("cloud-info printed the password", info.contains("it-Shell-S3cret"));

            for (String bad : new String[] {"--max-vms many --user other", "--endpoint ftp://cloud/v3 --user other",
                    "--endpoint not-a-url"}) {
                String out = executeCommand("betaas:cloud-configure " + bad).trim();
                assertEquals(out, 1, out.lines().count());
                assertTrue(out, out.startsWith("Cannot configure the cloud: --"));
                Dictionary<String, Object> now = config.getProperties();
                assertEquals(bad, "shell-user", now.get("user"));
                assertEquals(bad, "http://127.0.0.1:9/v3", now.get("authUrl"));
                assertEquals(bad, "3", String.valueOf(now.get("maxVms")));
                assertEquals(bad, "it-Shell-S3cret", now.get("password"));
            }
            // the REST view agrees and never shows it either
            String read = expect(200, "GET", "/cloud", ADMIN, null);
            assertTrue(read, read.contains("\"user\":\"shell-user\"") && read.contains("\"passwordSet\":true"));
            assertFalse(read, read.contains("it-Shell-S3cret"));
        } finally {
            java.nio.file.Files.deleteIfExists(passwordFile);
            if (original == null) {
                config.delete();
            } else {
                config.update(original);
            }
        }
    }
}
