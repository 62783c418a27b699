package org.betaas.service.rest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
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
                        (r, p) -> configureCloud(r)));
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

    private CloudSettings cloudSettings() {
        return services.cloudSettings().orElseThrow(() -> ApiException.unavailable("ConfigurationAdmin", "config"));
    }

    private ApiResponse cloud() throws IOException {
        return ApiResponse.ok(cloudSettings().read());
    }

    private ApiResponse configureCloud(ApiRequest request) throws IOException {
        CloudSettings settings = cloudSettings();
        settings.write(CloudForm.validate(jsonObject(request.body())));
        return ApiResponse.ok(settings.read());
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
