package org.betaas.taas.vm.openstack.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.betaas.api.vm.VmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Keystone v3 session and the Nova calls made with it. The token is cached until shortly before it expires
 * and renewed once when Nova answers 401. Neither the password nor the token is ever logged or put in a message.
 */
final class CloudSession {

    private static final Logger LOG = LoggerFactory.getLogger(CloudSession.class);

    /** Renew a token this long before Keystone says it expires. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(2);

    static final ObjectMapper JSON = new ObjectMapper();

    /** A Keystone token and the compute endpoint from its catalog. */
    record Token(String value, Instant expiresAt, String computeUrl) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + ", computeUrl=" + computeUrl + "]";
        }
    }

    /** A 2xx answer: status and body (an empty object when there was none). */
    record Answer(int status, JsonNode body) {
    }

    /** After the cloud did not answer at all, requests fail at once for this long, then one tries it again. */
    static final Duration RETRY_UNREACHABLE = Duration.ofSeconds(30);

    /** Why the cloud did not answer, and when. */
    private record Unreachable(Instant at, String reason) {
    }

    private final OpenStackSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicBoolean retrying = new AtomicBoolean();
    private volatile Unreachable unreachable;
    private Token token;

    CloudSession(OpenStackSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The cached token, or a new one when there is none or it is about to expire. */
    synchronized Token token() throws VmException {
        if (token == null || !clock.instant().isBefore(token.expiresAt().minus(RENEW_BEFORE))) {
            token = authenticate();
        }
        return token;
    }

    private synchronized void forget(Token stale) {
        if (token == stale) {
            token = null;
        }
    }

    private Token authenticate() throws VmException {
        String url = settings.identityV3() + "/auth/tokens";
        ObjectNode body = JSON.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.user());
        user.putObject("domain").put("name", settings.domain());
        user.put("password", settings.password());
        ObjectNode project = ((ObjectNode) body.get("auth")).putObject("scope").putObject("project");
        project.put("name", settings.project());
        project.putObject("domain").put("name", settings.domain());

        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response = send(request, "authenticating at Keystone");
        int status = response.statusCode();
        if (status == 401) {
            throw new CloudException(401, "Keystone at " + settings.authUrl() + " rejected the credentials of user '"
                    + settings.user() + "' for project '" + settings.project() + "' in domain '" + settings.domain()
                    + "': check user, password, project and domain in " + OpenStackSettings.CFG);
        }
        if (status / 100 != 2) {
            throw failure(status, response.body(), "authenticating at Keystone " + settings.authUrl());
        }
        String value = response.headers().firstValue("X-Subject-Token").orElse("");
        if (value.isEmpty()) {
            throw new CloudException(status, "Keystone at " + settings.authUrl()
                    + " answered without an X-Subject-Token header: is authUrl a Keystone v3 URL?");
        }
        JsonNode t = parse(response.body()).path("token");
        Instant expires;
        try {
            expires = Instant.parse(t.path("expires_at").asText());
        } catch (DateTimeParseException e) {
            expires = clock.instant().plus(Duration.ofHours(1));
        }
        String compute = computeEndpoint(t.path("catalog"));
        LOG.info("Authenticated at Keystone {} as user '{}' in project '{}'; token valid until {}, Nova at {}",
                settings.authUrl(), settings.user(), settings.project(), expires, compute);
        return new Token(value, expires, compute);
    }

    private String computeEndpoint(JsonNode catalog) throws VmException {
        for (JsonNode service : catalog) {
            if (!"compute".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode ep : service.path("endpoints")) {
                String region = ep.hasNonNull("region_id") ? ep.path("region_id").asText() : ep.path("region").asText();
                if ("public".equals(ep.path("interface").asText())
                        && (settings.region().isEmpty() || settings.region().equals(region))) {
                    String url = ep.path("url").asText();
                    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                }
            }
        }
        throw new CloudException(0, "The service catalog of project '" + settings.project() + "' at "
                + settings.authUrl() + " has no public compute (Nova) endpoint"
                + (settings.region().isEmpty() ? "" : " in region '" + settings.region() + "'")
                + ": check project and region in " + OpenStackSettings.CFG);
    }

    /**
     * Calls Nova: {@code path} is relative to the compute endpoint. Renews the token once on 401. Maps every
     * non-2xx answer to a {@link CloudException} whose message says what failed while doing {@code what}.
     */
    Answer nova(String method, String path, JsonNode body, String what) throws VmException {
        // before token(): a caller must not queue behind another's authentication at a cloud that hangs
        failFastWhileUnreachable(false);
        for (int attempt = 0; ; attempt++) {
            Token t = token();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.computeUrl() + path))
                    .timeout(settings.requestTimeout()).header("Accept", "application/json")
                    .header("X-Auth-Token", t.value());
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = send(b.build(), what);
            int status = response.statusCode();
            LOG.debug("Nova {} {} -> {}", method, path, status);
            if (status == 401 && attempt == 0) {
                LOG.info("Nova rejected the token while {}: authenticating again", what);
                forget(t);
                continue;
            }
            if (status / 100 == 2) {
                String text = response.body();
                return new Answer(status, text == null || text.isBlank() ? JSON.createObjectNode() : parse(text));
            }
            throw failure(status, response.body(), what);
        }
    }

    /**
     * Fails at once while the cloud is known not to answer: for {@link #RETRY_UNREACHABLE} after its last failure,
     * and while another request is trying it again. A cloud out of reach often hangs until the request timeout
     * instead of refusing, and every caller (placement, gateway-info, the idle reaper) would wait that long in turn.
     * With {@code claim}, the caller that may try takes the one retry; returns whether it did.
     */
    private boolean failFastWhileUnreachable(boolean claim) throws CloudException {
        Unreachable u = unreachable;
        if (u == null) {
            return false;
        }
        long ago = Math.max(0, Duration.between(u.at(), clock.instant()).toSeconds());
        boolean due = ago >= RETRY_UNREACHABLE.toSeconds();
        if (due && !claim && !retrying.get()) {
            return false;
        }
        if (due && claim && retrying.compareAndSet(false, true)) {
            return true;
        }
        throw new CloudException(u.reason() + " [no answer " + ago + " s ago: " + (due ? "another request is trying "
                + "it again" : "not asked again for " + RETRY_UNREACHABLE.toSeconds() + " s") + "]", null);
    }

    private HttpResponse<String> send(HttpRequest request, String what) throws VmException {
        boolean retry = failFastWhileUnreachable(true);
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            unreachable = null;
            return answer;
        } catch (HttpTimeoutException e) {
            throw unreachable(new CloudException("OpenStack (" + request.uri().getHost() + ":" + request.uri().getPort()
                    + ") did not answer within " + OpenStackSettings.text(settings.requestTimeout()) + " while " + what
                    + ": is the cloud reachable from this gateway? (requestTimeoutSeconds in "
                    + OpenStackSettings.CFG + ")", e));
        } catch (ConnectException e) {
            throw unreachable(new CloudException("Cannot connect to OpenStack at " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + " while " + what + ": is the cloud reachable from this gateway?",
                    e));
        } catch (IOException e) {
            throw unreachable(new CloudException("Talking to OpenStack at " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + " failed while " + what + ": " + e, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("Interrupted while " + what, e);
        } finally {
            if (retry) {
                retrying.set(false);
            }
        }
    }

    private CloudException unreachable(CloudException e) {
        unreachable = new Unreachable(clock.instant(), e.getMessage());
        return e;
    }

    /** Turns an error answer into a message naming the operation, the cloud's own reason and what to do. */
    private CloudException failure(int status, String body, String what) {
        String reason = reason(body);
        String message = switch (status) {
            case 401 -> "OpenStack at " + settings.authUrl() + " rejected the credentials of user '" + settings.user()
                    + "' while " + what + " (even after authenticating again): check user, password, project and "
                    + "domain in " + OpenStackSettings.CFG;
            case 403 -> reason.toLowerCase().contains("quota")
                    ? "OpenStack project '" + settings.project() + "' is over quota while " + what + ": " + reason
                            + " (destroy VMs of the project or ask the cloud operator to raise its quota)"
                    : "OpenStack forbids " + what + ": " + reason + " (check the roles of user '" + settings.user()
                            + "' in project '" + settings.project() + "')";
            case 404 -> "OpenStack does not know what was asked while " + what + ": " + reason;
            case 409 -> "OpenStack refused " + what + " because of a conflict: " + reason
                    + " (the server is in a state that does not allow it; check its state with betaas:vm-list)";
            case 413, 429 -> "OpenStack rate or size limit hit while " + what + ": " + reason + " (retry later)";
            default -> "OpenStack answered " + status + " while " + what + ": " + reason;
        };
        return new CloudException(status, message);
    }

    /** Nova answers {"itemNotFound": {"code": 404, "message": "..."}}, Keystone {"error": {"message": "..."}}. */
    static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "no reason given";
        }
        try {
            JsonNode node = JSON.readTree(body);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                JsonNode message = it.next().getValue().path("message");
                if (message.isTextual()) {
                    return message.asText();
                }
            }
        } catch (IOException e) {
            // not JSON: fall through to the first line of the text
        }
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static JsonNode parse(String text) throws VmException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new CloudException(0, "OpenStack answered something that is not JSON: " + e.getMessage());
        }
    }
}
