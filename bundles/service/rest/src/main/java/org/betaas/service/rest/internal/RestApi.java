package org.betaas.service.rest.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The whole API with no servlet in sight: authentication, routing, JSON in and out, and the error answers.
 * The servlet only copies requests in and answers out.
 */
final class RestApi {

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    /** An HTTP answer: status, headers and the UTF-8 JSON body (empty for none). */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final BetaasApi api;
    private final Router router;
    private final BasicAuthGuard guard;
    private final byte[] openApi;

    RestApi(ServiceDirectory services, BasicAuthGuard guard, String version) {
        this.api = new BetaasApi(services, json);
        this.router = new Router(api.routes());
        this.guard = guard;
        try {
            this.openApi = json.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(OpenApiDocument.of(api.routes(), version));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("OpenAPI document", e);
        }
    }

    List<Route> routes() {
        return router.routes();
    }

    /**
     * Answers one call.
     *
     * @param method        the HTTP method
     * @param rawPath       the path after {@code /betaas/api/v1}, still percent-encoded (so ids may contain '/')
     * @param rawQuery      the query string, percent-encoded, or null
     * @param authorization the Authorization header, or null
     * @param body          the body, or null
     */
    Answer handle(String method, String rawPath, String rawQuery, String authorization, String body) {
        ApiResponse response;
        try {
            List<String> segments = segments(rawPath);
            if ("GET".equals(method) && segments.equals(List.of(OpenApiDocument.PATH.substring(1)))) {
                return new Answer(200, Map.of("Content-Type", "application/json; charset=UTF-8"), openApi);
            }
            ApiRequest request = new ApiRequest(method, segments, query(rawQuery), body);
            Router.Match match = router.find(request);
            if (match.route().access() == Route.Access.APP) {
                response = match.route().handler().handle(request.withAppToken(appToken(authorization)),
                        match.params());
            } else {
                Optional<ApiResponse> denied = guard.check(authorization);
                response = denied.isPresent() ? denied.get() : match.route().handler().handle(request, match.params());
            }
        } catch (ApiException e) {
            response = ApiResponse.error(e.status(), e.code(), e.getMessage(), e.headers());
        } catch (Exception e) {
            LOG.error("{} {}{} failed", method, BetaasApi.BASE, rawPath, e);
            response = ApiResponse.error(500, "internal-error",
                    "The gateway failed to answer (" + e.getClass().getSimpleName() + "): see its log", Map.of());
        }
        return answer(response);
    }

    /** The token of {@code Authorization: Bearer <token>}; 401 for anything else (user credentials included). */
    static String appToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.noAppToken("This endpoint needs the app's token: send 'Authorization: Bearer <token>'"
                    + " with the token shown once when the app was installed");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw ApiException.noAppToken("This endpoint takes an app token, not user credentials: send"
                    + " 'Authorization: Bearer <token>' (operators use the endpoints outside " + BetaasApi.BASE + "/app)");
        }
        return authorization.substring(7).trim();
    }

    /** 413 for a body larger than the API accepts. */
    Answer tooLarge(int max) {
        return answer(ApiResponse.error(413, "payload-too-large", "The body is larger than " + max + " bytes", Map.of()));
    }

    private Answer answer(ApiResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Content-Type", "application/json; charset=UTF-8");
        headers.put("Cache-Control", "no-store");
        try {
            byte[] bytes = json.writeValueAsBytes(response.body());
            return new Answer(response.status(), headers, bytes);
        } catch (JsonProcessingException e) {
            LOG.error("Cannot serialise the answer", e);
            return new Answer(500, headers,
                    "{\"code\":\"internal-error\",\"message\":\"The answer could not be serialised\"}"
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        if (rawPath == null) {
            return segments;
        }
        for (String s : rawPath.split("/", -1)) {
            if (!s.isEmpty()) {
                segments.add(decode(s));
            }
        }
        return segments;
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed percent-encoding in '" + s + "'");
        }
    }
}
