package org.betaas.service.rest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.apps.App;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.InstalledApp;
import org.betaas.api.apps.ServiceManager;
import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The BETaaS REST API v1: its route table and handlers, on the services of a {@link ServiceDirectory}.
 * Each endpoint answers 503 when the service it needs is not installed.
 */
final class BetaasApi {

    static final String BASE = "/betaas/api/v1";
    static final String REQUESTER = "rest";

    static final int DEFAULT_INCIDENTS = 50;
    static final int MAX_INCIDENTS = 1000;

    private static final Map<Integer, String> E503 = Map.of(503, "the service behind this endpoint is not installed");

    private final ServiceDirectory services;
    private final ObjectMapper json;
    private final List<Route> routes;

    BetaasApi(ServiceDirectory services, ObjectMapper json) {
        this.services = services;
        this.json = json;
        this.routes = List.of(
                route("GET", "/gateway", "This gateway: identity, resources now, VM driver statuses",
                        Map.of(), "", statuses(200, "the gateway"), (r, p) -> gateway()),
                route("GET", "/things", "Things this gateway knows", Map.of(), "",
                        statuses(200, "the things"), (r, p) -> things()),
                route("GET", "/things/{id}", "One thing and the last value of each of its SenML names", Map.of(), "",
                        statuses(200, "the thing", 404, "no such thing"), (r, p) -> thing(p.get("id"))),
                route("GET", "/templates", "VM templates and the template files that could not be loaded", Map.of(),
                        "", statuses(200, "the templates"), (r, p) -> templates()),
                route("GET", "/vms", "VMs of this gateway", Map.of(), "", statuses(200, "the VMs"), (r, p) -> vms()),
                route("POST", "/vms", "Deploys a VM: placed by the TaaS Resources Manager, or on the named driver",
                        Map.of(), "{\"template\": name (required), \"driver\": libvirt|openstack (optional: skip placement)}",
                        statuses(201, "the deployed VM", 400, "bad body or unknown template",
                                409, "the hypervisor or cloud refused"), (r, p) -> deploy(r)),
                route("POST", "/vms/{id}/stop", "Stops (suspends) a VM", Map.of(), "",
                        statuses(200, "the VM", 404, "no such VM", 409, "refused"), (r, p) -> vmAction(p.get("id"), "stop")),
                route("POST", "/vms/{id}/resume", "Resumes a stopped VM", Map.of(), "",
                        statuses(200, "the VM", 404, "no such VM", 409, "refused"), (r, p) -> vmAction(p.get("id"), "resume")),
                route("DELETE", "/vms/{id}", "Destroys a VM and its definition", Map.of(), "",
                        statuses(200, "the VM, DESTROYED", 404, "no such VM", 409, "refused"),
                        (r, p) -> vmAction(p.get("id"), "destroy")),
                route("GET", "/placement/explain", "Where a VM of the template would go, and why (deploys nothing)",
                        Map.of("template", "required: the template name"), "",
                        statuses(200, "the decision and its reasons", 400, "no template given", 404, "unknown template"),
                        (r, p) -> explain(r)),
                route("GET", "/resources/forecast", "Resource use history and its Holt forecast with prediction band",
                        Map.of("kind", "optional: cpu, memory, storage or battery (default: all sampled)"), "",
                        statuses(200, "series and forecasts", 400, "unknown kind"), (r, p) -> forecast(r)),
                route("GET", "/cloud", "The remote cloud configuration (the password is never returned)", Map.of(), "",
                        statuses(200, "the configuration, with passwordSet"), (r, p) -> cloud()),
                route("PUT", "/cloud", "Changes the remote cloud configuration (PID org.betaas.vm.openstack)", Map.of(),
                        "{provider, authUrl, user, password (write-only; empty keeps it), project, domain, region, maxVms}",
                        statuses(200, "the configuration, with passwordSet", 400, "a field is wrong"),
                        (r, p) -> configureCloud(r)),
                route("POST", "/apps", "Installs an application from its manifest; the answer holds its token, shown"
                        + " only this once", Map.of(),
                        "the manifest: {name, owner, things: [{type, unit, location, kind, minRatePerMinute,"
                                + " maxAgeSeconds, exclusive}], webapp: {war, template} (optional)}",
                        statuses(201, "the app and its token", 400, "the manifest is wrong (the message names the"
                                + " field)", 409, "an app of this name is installed"),
                        (r, p) -> installApp(r)),
                route("GET", "/apps", "Installed applications (never their tokens)", Map.of(), "",
                        statuses(200, "the apps"), (r, p) -> apps()),
                route("GET", "/apps/{name}", "One application and the things it was granted", Map.of(), "",
                        statuses(200, "the app", 404, "no such app"), (r, p) -> app(p.get("name"))),
                route("DELETE", "/apps/{name}", "Uninstalls an application: releases its things, destroys its service"
                        + " VM, revokes its token", Map.of(), "",
                        statuses(200, "uninstalled", 404, "no such app"), (r, p) -> uninstallApp(p.get("name"))),
                appRoute("GET", "/app/things", "The things granted to the calling app", Map.of(), "",
                        statuses(200, "the things"), (r, p) -> appThings(r)),
                appRoute("GET", "/app/things/{id}", "One thing granted to the calling app, with its last values",
                        Map.of(), "", statuses(200, "the thing and its last values",
                                404, "the thing was granted but is no longer known"),
                        (r, p) -> appThing(r, p.get("id"))),
                appRoute("POST", "/app/things/{id}/actuate", "Sends a command to an actuator granted to the calling"
                                + " app", Map.of(), "{\"command\": the command text}",
                        statuses(200, "the command was handed to the thing's adaptor", 400, "no command given",
                                404, "the thing is no longer known"),
                        (r, p) -> actuate(r, p.get("id"))),
                route("GET", "/instance", "This gateway's membership of its BETaaS instance (the key is never shown)",
                        Map.of(), "", statuses(200, "the membership"), (r, p) -> instance()),
                route("GET", "/gateways", "The gateways of the instance, live: online, trust, resources, forecast"
                                + " headroom, VMs", Map.of(), "",
                        statuses(200, "the gateways, this one first"), (r, p) -> gateways()),
                route("GET", "/incidents", "The Dependability Manager's most recent incidents, newest first",
                        Map.of("limit", "optional: how many, 1.." + MAX_INCIDENTS + " (default " + DEFAULT_INCIDENTS
                                + ")"), "",
                        statuses(200, "the incidents", 400, "limit is not a number in range"),
                        (r, p) -> incidents(r)));
    }

    List<Route> routes() {
        return routes;
    }

    private static Route route(String method, String template, String summary, Map<String, String> query,
                               String body, Map<Integer, String> statuses, Route.Handler handler) {
        Map<Integer, String> all = new LinkedHashMap<>(statuses);
        all.putAll(E503);
        all.put(401, "no or wrong credentials");
        all.put(403, "the user lacks the required role");
        return new Route(method, template, summary, query, body, all, handler);
    }

    /** An endpoint of the app API: the caller is an installed app, by its token. */
    private static Route appRoute(String method, String template, String summary, Map<String, String> query,
                                  String body, Map<Integer, String> statuses, Route.Handler handler) {
        Map<Integer, String> all = new LinkedHashMap<>(statuses);
        all.put(503, "the Service Manager (or a service behind it) is not available");
        all.put(401, "no app token, user credentials instead of one, or an unknown (revoked) token");
        all.put(403, "the app was not granted this thing (or the thing is not an actuator)");
        return new Route(method, template, summary, query, body, all, handler, Route.Access.APP);
    }

    private static Map<Integer, String> statuses(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }

    // --- handlers -------------------------------------------------------------------------------------------

    private ApiResponse gateway() {
        LocalGateway gateway = services.localGateway()
                .orElseThrow(() -> ApiException.unavailable("LocalGateway", "betaas-service"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identity", JsonViews.identity(gateway.identity()));
        body.put("configurationProblems", gateway.configurationProblems());
        body.put("resources", services.resourceMonitor().map(m -> (Object) JsonViews.snapshot(m.current())).orElse(null));
        List<Object> drivers = new ArrayList<>();
        for (VmDriver driver : services.vmDrivers()) {
            drivers.add(JsonViews.driver(driver.name(), driver.status()));
        }
        body.put("drivers", drivers);
        return ApiResponse.ok(body);
    }

    private ThingRegistry thingRegistry() {
        return services.thingRegistry().orElseThrow(() -> ApiException.unavailable("ThingRegistry", "betaas-adaptation"));
    }

    private ApiResponse things() {
        return ApiResponse.ok(thingRegistry().things().stream().map(JsonViews::thing).toList());
    }

    private ApiResponse thing(String id) {
        ThingRegistry registry = thingRegistry();
        Thing thing = registry.find(id).orElseThrow(() -> ApiException.notFound("No thing '" + id + "': GET "
                + BASE + "/things lists them"));
        Map<String, Object> body = JsonViews.thing(thing);
        body.put("lastValues", registry.lastValues(id).stream().map(JsonViews::measurement).toList());
        return ApiResponse.ok(body);
    }

    private TemplateRegistry templateRegistry() {
        return services.templateRegistry().orElseThrow(() -> ApiException.unavailable("TemplateRegistry", "betaas-taas"));
    }

    private ApiResponse templates() {
        TemplateRegistry registry = templateRegistry();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("templates", registry.templates().stream().map(JsonViews::template).toList());
        body.put("problems", registry.problems());
        return ApiResponse.ok(body);
    }

    private VmManager vmManager() {
        return services.vmManager().orElseThrow(() -> ApiException.unavailable("VmManager", "betaas-taas"));
    }

    private ApiResponse vms() {
        return ApiResponse.ok(vmManager().list().stream().map(JsonViews::vm).toList());
    }

    private ApiResponse deploy(ApiRequest request) throws VmException {
        Map<String, Object> body = jsonObject(request.body());
        Object template = body.get("template");
        if (!(template instanceof String name) || name.isBlank()) {
            throw ApiException.badRequest("The body must name a template: {\"template\": \"...\"}; GET " + BASE
                    + "/templates lists them");
        }
        Object driver = body.get("driver");
        if (driver != null && !(driver instanceof String)) {
            throw ApiException.badRequest("driver must be a driver name such as libvirt or openstack");
        }
        requireTemplate(name);
        VmRequest vmRequest = new VmRequest(name, REQUESTER);
        VmInstance vm;
        try {
            if (driver == null || ((String) driver).isBlank()) {
                vm = services.resourcesManager()
                        .orElseThrow(() -> ApiException.unavailable("TaasResourcesManager", "betaas-taas"))
                        .deploy(vmRequest);
            } else {
                vm = vmManager().deploy(vmRequest, (String) driver);
            }
        } catch (VmException e) {
            throw ApiException.conflict(e.getMessage());
        }
        return ApiResponse.created(JsonViews.vm(vm));
    }

    private ApiResponse vmAction(String id, String action) throws VmException {
        VmManager manager = vmManager();
        VmInstance before = manager.find(id).orElseThrow(() -> ApiException.notFound("No VM '" + id + "': GET "
                + BASE + "/vms lists them"));
        try {
            switch (action) {
                case "stop" -> manager.stop(id);
                case "resume" -> manager.resume(id);
                case "destroy" -> manager.destroy(id);
                default -> throw new IllegalArgumentException(action);
            }
        } catch (VmException e) {
            throw ApiException.conflict(e.getMessage());
        }
        VmInstance after = manager.find(id).orElse(before.withState(org.betaas.api.vm.VmState.DESTROYED));
        return ApiResponse.ok(JsonViews.vm(after));
    }

    private void requireTemplate(String name) {
        Optional<TemplateRegistry> registry = services.templateRegistry();
        if (registry.isPresent() && registry.get().find(name).isEmpty()) {
            throw ApiException.notFound("No template '" + name + "': GET " + BASE + "/templates lists them");
        }
    }

    private ApiResponse explain(ApiRequest request) {
        String template = request.queryParam("template").orElseThrow(() -> ApiException.badRequest(
                "Give the template to place: " + BASE + "/placement/explain?template=NAME"));
        TaasResourcesManager manager = services.resourcesManager()
                .orElseThrow(() -> ApiException.unavailable("TaasResourcesManager", "betaas-taas"));
        requireTemplate(template);
        return ApiResponse.ok(JsonViews.placement(template, manager.place(new VmRequest(template, REQUESTER))));
    }

    private ApiResponse forecast(ApiRequest request) {
        ResourceHistory history = services.resourceHistory()
                .orElseThrow(() -> ApiException.unavailable("ResourceHistory", "betaas-taas"));
        List<ResourceKind> kinds;
        Optional<String> kind = request.queryParam("kind");
        if (kind.isPresent()) {
            try {
                kinds = List.of(ResourceKind.valueOf(kind.get().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Unknown resource kind '" + kind.get() + "': use one of "
                        + Arrays.stream(ResourceKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
            }
        } else {
            kinds = List.of(ResourceKind.values());
        }
        List<Object> resources = new ArrayList<>();
        for (ResourceKind k : kinds) {
            double[] series = history.series(k);
            if (kind.isEmpty() && k == ResourceKind.BATTERY && Arrays.stream(series).allMatch(Double::isNaN)) {
                continue; // no battery on this gateway
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", k.name());
            r.put("unit", switch (k) {
                case CPU -> "fraction";
                case MEMORY, STORAGE -> "bytes";
                case BATTERY -> "percent";
            });
            r.put("series", JsonViews.numbers(series));
            r.put("forecast", JsonViews.forecast(history.forecast(k)));
            resources.add(r);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intervalSeconds", history.interval().toSeconds());
        body.put("resources", resources);
        return ApiResponse.ok(body);
    }

    private CloudStore cloudSettings() {
        return services.cloudStore().orElseThrow(() -> ApiException.unavailable("ConfigurationAdmin", "config"));
    }

    private ApiResponse cloud() throws IOException {
        return ApiResponse.ok(cloudSettings().read());
    }

    private ApiResponse configureCloud(ApiRequest request) throws IOException {
        CloudStore settings = cloudSettings();
        settings.write(CloudForm.validate(jsonObject(request.body())));
        return ApiResponse.ok(settings.read());
    }

    // --- applications ---------------------------------------------------------------------------------------

    private ServiceManager serviceManager() {
        return services.serviceManager().orElseThrow(() -> ApiException.unavailable("ServiceManager", "betaas-service"));
    }

    private ApiResponse installApp(ApiRequest request) {
        ServiceManager manager = serviceManager();
        if (request.body().isBlank()) {
            throw ApiException.badRequest("The request needs the app manifest as its JSON body: {\"name\", \"owner\","
                    + " \"things\": [...]}");
        }
        try {
            InstalledApp installed = manager.install(request.body());
            Map<String, Object> body = JsonViews.app(installed.app());
            body.put("token", installed.token());
            body.put("tokenNote", "Keep this token now: it is shown only once (the gateway keeps only its hash);"
                    + " the app sends it as 'Authorization: Bearer <token>' to " + BASE + "/app/...");
            return ApiResponse.created(body);
        } catch (AppException e) {
            throw ApiException.of(e);
        }
    }

    private ApiResponse apps() {
        return ApiResponse.ok(serviceManager().list().stream().map(JsonViews::app).toList());
    }

    private ApiResponse app(String name) {
        ServiceManager manager = serviceManager();
        App app = manager.find(name).orElseThrow(() -> noApp(name));
        Map<String, Object> body = JsonViews.app(app);
        try {
            body.put("grantedThings", manager.grantedThings(name).stream().map(JsonViews::thing).toList());
        } catch (AppException e) {
            throw ApiException.of(e);
        }
        return ApiResponse.ok(body);
    }

    private static ApiException noApp(String name) {
        return ApiException.notFound("No app '" + name + "' is installed: GET " + BASE + "/apps lists them");
    }

    private ApiResponse uninstallApp(String name) {
        ServiceManager manager = serviceManager();
        App app = manager.find(name).orElseThrow(() -> noApp(name));
        try {
            manager.uninstall(name);
        } catch (AppException e) {
            throw ApiException.of(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("uninstalled", true);
        body.put("destroyedVm", app.vmId().orElse(null));
        return ApiResponse.ok(body);
    }

    private ApiResponse appThings(ApiRequest request) {
        try {
            return ApiResponse.ok(serviceManager().things(request.appToken()).stream().map(JsonViews::thing).toList());
        } catch (AppException e) {
            throw ApiException.of(e);
        }
    }

    private ApiResponse appThing(ApiRequest request, String id) {
        ServiceManager manager = serviceManager();
        try {
            // first: 401 for a bad token, 403 for a thing not granted (whether it exists or not)
            List<Measurement> values = manager.lastValues(request.appToken(), id);
            Thing thing = manager.things(request.appToken()).stream().filter(t -> t.id().equals(id)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("Thing '" + id + "' was granted to this app but is not"
                            + " known to the gateway any more: GET " + BASE + "/app/things lists the current ones"));
            Map<String, Object> body = JsonViews.thing(thing);
            body.put("lastValues", values.stream().map(JsonViews::measurement).toList());
            return ApiResponse.ok(body);
        } catch (AppException e) {
            throw ApiException.of(e);
        }
    }

    private ApiResponse actuate(ApiRequest request, String id) {
        ServiceManager manager = serviceManager();
        Map<String, Object> body = jsonObject(request.body());
        Object command = body.get("command");
        if (!(command instanceof String text) || text.isBlank()) {
            throw ApiException.badRequest("The body must give the command for actuator '" + id
                    + "': {\"command\": \"...\"}");
        }
        try {
            manager.actuate(request.appToken(), id, text);
        } catch (AppException e) {
            throw ApiException.of(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("thing", id);
        answer.put("command", text);
        answer.put("sent", true);
        return ApiResponse.ok(answer);
    }

    // --- instance and dependability -------------------------------------------------------------------------

    private InstanceManager instanceManager() {
        return services.instanceManager().orElseThrow(() -> ApiException.unavailable("InstanceManager", "betaas-service"));
    }

    private ApiResponse instance() {
        return ApiResponse.ok(JsonViews.instance(instanceManager().info()));
    }

    private ApiResponse gateways() {
        return ApiResponse.ok(instanceManager().gateways().stream().map(JsonViews::peer).toList());
    }

    private ApiResponse incidents(ApiRequest request) {
        DependabilityManager manager = services.dependabilityManager()
                .orElseThrow(() -> ApiException.unavailable("DependabilityManager", "betaas-service"));
        int limit = DEFAULT_INCIDENTS;
        String given = request.query().get("limit");
        if (given != null) {
            String trimmed = given.trim();
            if (!trimmed.matches("\\d{1,7}") || Integer.parseInt(trimmed) < 1 || Integer.parseInt(trimmed) > MAX_INCIDENTS) {
                throw ApiException.badRequest("limit '" + given + "' is not a number of incidents from 1 to "
                        + MAX_INCIDENTS + ": e.g. " + BASE + "/incidents?limit=20");
            }
            limit = Integer.parseInt(trimmed);
        }
        return ApiResponse.ok(manager.incidents(limit).stream().map(JsonViews::incident).toList());
    }

    private Map<String, Object> jsonObject(String body) {
        if (body.isBlank()) {
            throw ApiException.badRequest("The request needs a JSON object body");
        }
        try {
            Map<String, Object> map = json.readValue(body, new TypeReference<Map<String, Object>>() { });
            if (map == null) {
                throw ApiException.badRequest("The request needs a JSON object body, not null");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The body is not a JSON object: " + e.getOriginalMessage());
        }
    }
}
