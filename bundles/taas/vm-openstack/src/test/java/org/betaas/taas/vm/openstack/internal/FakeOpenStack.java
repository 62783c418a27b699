package org.betaas.taas.vm.openstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake Keystone v3 + Nova 2.1 on 127.0.0.1 (random port) whose answers are Nova's and Keystone's published
 * API samples (src/test/resources/openstack-samples, see the NOTICE there) with the fields of the fake's own
 * servers put in. It keeps servers in memory and moves them BUILD → ACTIVE after a few polls, like Nova does.
 */
final class FakeOpenStack implements AutoCloseable {

    static final String PASSWORD = "s3cr3t-Pa55word";
    static final String USER = "betaas";
    static final String PROJECT = "betaas-project";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One fake server. */
    static final class Server {
        final String id = UUID.randomUUID().toString();
        final String name;
        final String flavorId;
        final String imageId;
        final Map<String, String> metadata = new LinkedHashMap<>();
        volatile String status = "BUILD";
        volatile int pollsUntilDone;
        volatile String fault = "";

        Server(String name, String flavorId, String imageId) {
            this.name = name;
            this.flavorId = flavorId;
            this.imageId = imageId;
        }
    }

    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    final Map<String, Server> servers = new ConcurrentHashMap<>();
    final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger authentications = new AtomicInteger();
    final AtomicInteger tokenCounter = new AtomicInteger();

    /** GETs of a building server before it is ACTIVE. */
    volatile int buildPolls = 2;
    /** Fault of the next server created: it goes to ERROR instead of ACTIVE. */
    volatile String nextBuildFault;
    /** The next server created stays in BUILD. */
    volatile boolean nextBuildHangs;
    /** The next os-start is refused with 409 (the server changed state meanwhile). */
    volatile boolean nextStartConflicts;
    /** Nova's instance quota of the project. */
    volatile int quotaInstances = 10;
    /** Delay of every answer, ms (an unreachable or overloaded cloud). */
    volatile long delayMillis;
    /** The password Keystone accepts (an operator may change it). */
    volatile String password = PASSWORD;
    /** How long tokens live. */
    volatile long tokenLifetimeSeconds = 3600;

    FakeOpenStack() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/identity/v3/auth/tokens", this::keystone);
        http.createContext("/compute/v2.1", this::nova);
        http.setExecutor(executor);
        http.start();
    }

    String authUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/identity/v3";
    }

    String computeUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/compute/v2.1";
    }

    /** Makes every issued token invalid: Nova answers 401 until the client authenticates again. */
    void revokeTokens() {
        validTokens.clear();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    static ObjectNode sample(String path) {
        try (InputStream in = FakeOpenStack.class.getResourceAsStream("/openstack-samples/" + path)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delay() {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- Keystone ---------------------------------------------------------------------------------------

    private void keystone(HttpExchange ex) throws IOException {
        delay();
        try (ex) {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, keystoneError(405, "Method Not Allowed", "The method is not allowed."));
                return;
            }
            JsonNode auth = JSON.readTree(ex.getRequestBody()).path("auth");
            JsonNode user = auth.path("identity").path("password").path("user");
            boolean ok = auth.path("identity").path("methods").toString().contains("password")
                    && USER.equals(user.path("name").asText()) && password.equals(user.path("password").asText())
                    && "Default".equals(user.path("domain").path("name").asText())
                    && PROJECT.equals(auth.path("scope").path("project").path("name").asText());
            authentications.incrementAndGet();
            if (!ok) {
                send(ex, 401, keystoneError(401, "Unauthorized", "The request you have made requires authentication."));
                return;
            }
            ObjectNode body = sample("keystone/auth-token-resp.json");
            ObjectNode token = (ObjectNode) body.get("token");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            token.put("issued_at", now.toString());
            token.put("expires_at", now.plusSeconds(tokenLifetimeSeconds).toString());
            for (JsonNode service : token.path("catalog")) {
                if ("compute".equals(service.path("type").asText())) {
                    for (JsonNode ep : service.path("endpoints")) {
                        if ("RegionOne".equals(ep.path("region_id").asText())
                                && "public".equals(ep.path("interface").asText())) {
                            ((ObjectNode) ep).put("url", computeUrl());
                        }
                    }
                }
            }
            String value = "gAAAAAB-token-" + tokenCounter.incrementAndGet();
            validTokens.add(value);
            ex.getResponseHeaders().add("X-Subject-Token", value);
            send(ex, 201, body);
        }
    }

    private static ObjectNode keystoneError(int code, String title, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).put("title", title);
        return body;
    }

    // ---- Nova -------------------------------------------------------------------------------------------

    /** Nova's error body: nova/api/openstack/wsgi.py Fault. */
    private static ObjectNode fault(String name, int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject(name).put("code", code).put("message", message);
        return body;
    }

    private void nova(HttpExchange ex) throws IOException {
        delay();
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath().substring("/compute/v2.1".length());
            requests.add(method + " " + path);
            String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
            if (token == null || !validTokens.contains(token)) {
                send(ex, 401, fault("unauthorized", 401, "The request you have made requires authentication."));
                return;
            }
            String[] p = path.split("/");
            if ("GET".equals(method) && path.equals("/flavors/detail")) {
                send(ex, 200, sample("nova/flavors/flavors-detail-resp.json"));
            } else if ("GET".equals(method) && path.equals("/images")) {
                send(ex, 200, images(query(ex).get("name")));
            } else if ("GET".equals(method) && path.equals("/limits")) {
                ObjectNode limits = sample("nova/limits/limit-get-resp.json");
                ObjectNode abs = (ObjectNode) limits.path("limits").path("absolute");
                abs.put("maxTotalInstances", quotaInstances).put("totalInstancesUsed", servers.size());
                send(ex, 200, limits);
            } else if ("GET".equals(method) && path.equals("/servers/detail")) {
                ObjectNode body = JSON.createObjectNode();
                ArrayNode list = body.putArray("servers");
                for (Server s : servers.values()) {
                    list.add(render(s, (ObjectNode) sample("nova/servers/servers-details-resp.json")
                            .path("servers").get(0)));
                }
                send(ex, 200, body);
            } else if ("POST".equals(method) && path.equals("/servers")) {
                createServer(ex);
            } else if (p.length >= 3 && "servers".equals(p[1])) {
                Server s = servers.get(p[2]);
                if (s == null) {
                    send(ex, 404, fault("itemNotFound", 404, "Instance " + p[2] + " could not be found."));
                } else if (p.length == 3 && "GET".equals(method)) {
                    poll(s);
                    ObjectNode body = JSON.createObjectNode();
                    body.set("server", render(s, (ObjectNode) sample("nova/servers/server-get-resp.json").get("server")));
                    send(ex, 200, body);
                } else if (p.length == 3 && "DELETE".equals(method)) {
                    servers.remove(s.id);
                    send(ex, 204, null);
                } else if (p.length == 4 && "action".equals(p[3]) && "POST".equals(method)) {
                    action(ex, s);
                } else if (p.length == 4 && "metadata".equals(p[3]) && "POST".equals(method)) {
                    JsonNode meta = JSON.readTree(ex.getRequestBody()).path("metadata");
                    for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        s.metadata.put(e.getKey(), e.getValue().asText());
                    }
                    ObjectNode body = sample("nova/server-metadata/server-metadata-all-resp.json");
                    ObjectNode all = body.putObject("metadata");
                    s.metadata.forEach(all::put);
                    send(ex, 200, body);
                } else if (p.length == 5 && "metadata".equals(p[3]) && "DELETE".equals(method)) {
                    if (s.metadata.remove(p[4]) == null) {
                        send(ex, 404, fault("itemNotFound", 404, "Metadata item was not found"));
                    } else {
                        send(ex, 204, null);
                    }
                } else {
                    send(ex, 404, fault("itemNotFound", 404, "The resource could not be found."));
                }
            } else {
                send(ex, 404, fault("itemNotFound", 404, "The resource could not be found."));
            }
        }
    }

    private ObjectNode images(String name) {
        ObjectNode body = sample("nova/images/images-list-get-resp.json");
        ArrayNode filtered = JSON.createArrayNode();
        for (JsonNode image : body.path("images")) {
            if (name == null || name.equals(image.path("name").asText())) {
                filtered.add(image);
            }
        }
        body.set("images", filtered);
        return body;
    }

    private void createServer(HttpExchange ex) throws IOException {
        JsonNode server = JSON.readTree(ex.getRequestBody()).path("server");
        String image = server.path("imageRef").asText();
        String flavor = server.path("flavorRef").asText();
        boolean imageKnown = images(null).path("images").findValuesAsText("id").contains(image);
        boolean flavorKnown = sample("nova/flavors/flavors-detail-resp.json").path("flavors")
                .findValuesAsText("id").contains(flavor);
        if (server.path("name").asText().isEmpty()) {
            send(ex, 400, fault("badRequest", 400, "Invalid input for field/attribute server. name is required"));
        } else if (!imageKnown) {
            send(ex, 400, fault("badRequest", 400, "Can not find requested image"));
        } else if (!flavorKnown) {
            send(ex, 400, fault("badRequest", 400, "Flavor " + flavor + " could not be found."));
        } else if (servers.size() >= quotaInstances) {
            // nova.exception.TooManyInstances, turned into 403 by nova/api/openstack/compute/servers.py
            send(ex, 403, fault("forbidden", 403, "Quota exceeded for instances: Requested 1, but already used "
                    + servers.size() + " of " + quotaInstances + " instances"));
        } else {
            Server s = new Server(server.path("name").asText(), flavor, image);
            for (Iterator<Map.Entry<String, JsonNode>> it = server.path("metadata").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                s.metadata.put(e.getKey(), e.getValue().asText());
            }
            s.pollsUntilDone = nextBuildHangs ? Integer.MAX_VALUE : buildPolls;
            if (nextBuildFault != null) {
                s.fault = nextBuildFault;
            }
            nextBuildHangs = false;
            nextBuildFault = null;
            servers.put(s.id, s);
            ObjectNode body = sample("nova/servers/server-create-resp.json");
            ((ObjectNode) body.get("server")).put("id", s.id);
            send(ex, 202, body);
        }
    }

    /** A building (or starting, stopping) server reaches its next state after a few polls. */
    private void poll(Server s) {
        if (s.pollsUntilDone > 0 && s.pollsUntilDone != Integer.MAX_VALUE) {
            s.pollsUntilDone--;
            return;
        }
        if (s.pollsUntilDone == 0 && "BUILD".equals(s.status)) {
            s.status = s.fault.isEmpty() ? "ACTIVE" : "ERROR";
        }
    }

    private void action(HttpExchange ex, Server s) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        if (body.has("os-stop")) {
            if (!"ACTIVE".equals(s.status) && !"ERROR".equals(s.status)) {
                send(ex, 409, fault("conflictingRequest", 409, "Cannot 'stop' instance " + s.id
                        + " while it is in vm_state " + vmState(s)));
                return;
            }
            s.status = "SHUTOFF";
        } else if (body.has("os-start")) {
            if (!"SHUTOFF".equals(s.status) || nextStartConflicts) {
                nextStartConflicts = false;
                send(ex, 409, fault("conflictingRequest", 409, "Cannot 'start' instance " + s.id
                        + " while it is in vm_state " + vmState(s)));
                return;
            }
            s.status = "ACTIVE";
        } else {
            send(ex, 400, fault("badRequest", 400, "There is no such action: " + body.fieldNames().next()));
            return;
        }
        send(ex, 202, null);
    }

    private static String vmState(Server s) {
        return switch (s.status) {
            case "ACTIVE" -> "active";
            case "SHUTOFF" -> "stopped";
            case "ERROR" -> "error";
            default -> "building";
        };
    }

    /** The sample server with this server's id, name, status, flavor, image, metadata and fault. */
    private ObjectNode render(Server s, ObjectNode server) {
        server.put("id", s.id).put("name", s.name).put("status", s.status)
                .put("OS-EXT-STS:vm_state", vmState(s));
        ((ObjectNode) server.get("flavor")).put("id", s.flavorId);
        ((ObjectNode) server.get("image")).put("id", s.imageId);
        ObjectNode meta = server.putObject("metadata");
        s.metadata.forEach(meta::put);
        if ("ERROR".equals(s.status)) {
            // nova/api/openstack/compute/views/servers.py _get_fault
            server.putObject("fault").put("code", 500).put("created", "2013-09-03T04:01:32Z").put("message", s.fault);
        }
        return server;
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    List<Server> serversWithTemplate(String template) {
        List<Server> list = new ArrayList<>();
        for (Server s : servers.values()) {
            if (template.equals(s.metadata.get(NovaServer.TEMPLATE))) {
                list.add(s);
            }
        }
        return list;
    }
}
