package org.betaas.service.rest.internal;

import java.io.IOException;
import java.time.Instant;
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
import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataManager;
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

    private static final Map<String, String> HISTORY_PARAMS = Map.of(
            "since", "optional: how far back from now, " + HistoryQuery.DURATION_FORM + " (default 1h; not with"
                    + " from/to)",
            "from", "optional: start of the range (inclusive), " + HistoryQuery.TIME_FORM + " (default: to - 1h)",
            "to", "optional: end of the range (exclusive), " + HistoryQuery.TIME_FORM + " (default: now)",
            "name", "optional: only this SenML name of the thing (default: all)",
            "limit", "optional: at most this many measurements, 1.." + HistoryQuery.MAX_LIMIT + " (default "
                    + HistoryQuery.DEFAULT_LIMIT + "; 'truncated' tells when more were there)",
            "bucket", "optional: count/min/max/mean per bucket of this length instead of the measurements, "
                    + HistoryQuery.DURATION_FORM + ", at most " + HistoryQuery.MAX_BUCKETS + " buckets");

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
                        (r, p) -> incidents(r)),
                route("GET", "/things/{id}/measurements", "The stored history of a thing (Big Data Manager): its"
                                + " measurements, oldest first, or with bucket the count/min/max/mean per bucket",
                        HISTORY_PARAMS, "",
                        statuses(200, "the measurements (or the aggregates per bucket)", 400, "since, from, to,"
                                + " bucket or limit is malformed (the message names it and the accepted form)",
                                404, "no such thing (neither known to the gateway nor in the stored history)"),
                        (r, p) -> measurements(r, p.get("id"))),
                appRoute("GET", "/app/things/{id}/measurements", "The stored history of a thing granted to the calling"
                                + " app: its measurements, or with bucket the count/min/max/mean per bucket",
                        HISTORY_PARAMS, "",
                        statuses(200, "the measurements (or the aggregates per bucket)", 400, "since, from, to,"
                                + " bucket or limit is malformed", 404, "the thing was granted but is no longer known"),
                        (r, p) -> appMeasurements(r, p.get("id"))),
                route("GET", "/bigdata", "The Big Data Manager: rows and bytes stored, retention, thresholds, query"
                                + " load and the storage/compute nodes it holds (never the database credentials)",
                        Map.of(), "", statuses(200, "the status"), (r, p) -> bigDataStatus()),
                route("GET", "/dependability", "What the Dependability Manager watches, the last state it saw of each"
                                + " component, bundle, VM and peer, and the recoveries under way", Map.of(), "",
                        statuses(200, "the watched subjects"), (r, p) -> dependability()));
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

    /** A thing granted to the calling app, with its last values. */
    private record Granted(Thing thing, List<Measurement> lastValues) {
    }

    /**
     * The grant check of every per-thing app endpoint: 401 for a bad token, 403 for a thing not granted (whether it
     * exists or not), 404 for a granted thing the gateway no longer knows.
     */
    private Granted granted(ServiceManager manager, ApiRequest request, String id) {
        try {
            List<Measurement> values = manager.lastValues(request.appToken(), id);
            Thing thing = manager.things(request.appToken()).stream().filter(t -> t.id().equals(id)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("Thing '" + id + "' was granted to this app but is not"
                            + " known to the gateway any more: GET " + BASE + "/app/things lists the current ones"));
            return new Granted(thing, values);
        } catch (AppException e) {
            throw ApiException.of(e);
        }
    }

    private ApiResponse appThing(ApiRequest request, String id) {
        Granted granted = granted(serviceManager(), request, id);
        Map<String, Object> body = JsonViews.thing(granted.thing());
        body.put("lastValues", granted.lastValues().stream().map(JsonViews::measurement).toList());
        return ApiResponse.ok(body);
    }

    private ApiResponse appMeasurements(ApiRequest request, String id) {
        granted(serviceManager(), request, id);
        BigDataManager bigData = bigData();
        return ApiResponse.ok(history(bigData, id, HistoryQuery.parse(request.query(), Instant.now())));
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

    // --- stored history, Big Data and dependability ---------------------------------------------------------

    private BigDataManager bigData() {
        return services.bigDataManager().orElseThrow(() -> ApiException.unavailable("BigDataManager", "betaas-bigdata"));
    }

    private ApiResponse measurements(ApiRequest request, String id) {
        BigDataManager bigData = bigData();
        HistoryQuery query = HistoryQuery.parse(request.query(), Instant.now());
        if (!knownThing(bigData, id)) {
            throw ApiException.notFound("No thing '" + id + "': neither known to the gateway nor in the stored"
                    + " history; GET " + BASE + "/things lists them");
        }
        return ApiResponse.ok(history(bigData, id, query));
    }

    /** Known to the thing registry, or (a thing gone since) with stored measurements. */
    private boolean knownThing(BigDataManager bigData, String id) {
        if (services.thingRegistry().flatMap(r -> r.find(id)).isPresent()) {
            return true;
        }
        try {
            return bigData.thingIds().contains(id);
        } catch (BigDataException e) {
            throw bigDataFailed(e);
        }
    }

    private static Map<String, Object> history(BigDataManager bigData, String id, HistoryQuery query) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("thingId", id);
        body.put("name", query.name().orElse(null));
        body.put("from", JsonViews.time(query.from()));
        body.put("to", JsonViews.time(query.to()));
        try {
            if (query.bucket().isPresent()) {
                body.put("bucket", query.bucket().get().toString());
                body.put("bucketSeconds", query.bucket().get().toSeconds());
                body.put("aggregates", bigData.aggregates(id, query.name(), query.from(), query.to(),
                        query.bucket().get()).stream().map(JsonViews::aggregate).toList());
            } else {
                List<Measurement> found = bigData.measurements(id, query.name(), query.from(), query.to(),
                        query.limit() + 1);
                body.put("limit", query.limit());
                body.put("truncated", found.size() > query.limit());
                body.put("measurements", found.stream().limit(query.limit()).map(JsonViews::measurement).toList());
            }
        } catch (BigDataException e) {
            throw bigDataFailed(e);
        }
        return body;
    }

    /** The parameters were checked here: what the Big Data Manager still refuses is its database. */
    private static ApiException bigDataFailed(BigDataException e) {
        return new ApiException(503, "service-unavailable", "The Big Data Manager cannot answer: " + e.getMessage());
    }

    private ApiResponse bigDataStatus() {
        return ApiResponse.ok(JsonViews.bigData(bigData().status()));
    }

    private ApiResponse dependability() {
        DependabilityManager manager = services.dependabilityManager()
                .orElseThrow(() -> ApiException.unavailable("DependabilityManager", "betaas-service"));
        return ApiResponse.ok(JsonViews.watched(manager.watched()));
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
