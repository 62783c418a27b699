package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Calls the REST API of the container under test over real HTTP and checks the JSON answers. */
final class RestClient {

    static final String ADMIN = basic("karaf", "karaf");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    RestClient(int port) {
        this.base = "http://127.0.0.1:" + port + "/betaas/api/v1";
    }

    String base() {
        return base;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
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
    String expect(int status, String method, String path, String authorization, String body) throws Exception {
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

    /** Waits until the API answers its OpenAPI document. */
    void awaitUp() {
        BetaasTestSupport.awaitTrue("the REST API to answer on " + base, () -> {
            try {
                return send("GET", "/openapi.json", null, null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
