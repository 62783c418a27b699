package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.betaas.api.resources.ResourceHistory;
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
    private static final String ADMIN = basic("karaf", "karaf");

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String base;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.betaas.gateway.cfg", "gateway.id", GATEWAY_ID),
            // a user without the admin role, for the 403
            editConfigurationFilePut("etc/users.properties", "viewer", "viewer1,viewer")
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Before
    public void apiIsUp() throws Exception {
        base = "http://127.0.0.1:" + httpPort() + "/betaas/api/v1";
        assertBundlesActive("org.betaas.service.rest");
        awaitTrue("the REST API to answer on " + base, () -> {
            try {
                return send("GET", "/openapi.json", null, null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends, asserts the status and a JSON body (with code and message for errors), returns the body. */
    private String expect(int status, String method, String path, String authorization, String body) throws Exception {
        HttpResponse<String> response = send(method, path, authorization, body);
        assertEquals(method + " " + path + ": " + response.body(), status, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String json = response.body().trim();
        assertTrue(json, json.startsWith("{") || json.startsWith("["));
        if (status >= 400) {
            assertTrue(json, json.matches("(?s)\\{\"code\":\"[a-z-]+\",\"message\":\".+\"}"));
        }
        return json;
    }

    @Test
    public void theOpenApiDocumentIsPublicAndListsTheRoutes() throws Exception {
        String doc = expect(200, "GET", "/openapi.json", null, null);
        for (String path : new String[] {"\"/gateway\"", "\"/things/{id}\"", "\"/vms/{id}/stop\"", "\"/placement/explain\"",
                "\"/resources/forecast\"", "\"/cloud\"", "\"/templates\""}) {
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
}
