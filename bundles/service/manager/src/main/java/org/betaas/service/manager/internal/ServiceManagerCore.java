package org.betaas.service.manager.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.apps.App;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.AppException.Reason;
import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.InstalledApp;
import org.betaas.api.apps.ServiceManager;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Service Manager without OSGi: apps from their manifests, their grants (recomputed by
 * {@link #reallocate()} and whenever a new thing shows up in {@link #observed(Thing, List)}), tokens kept as
 * SHA-256 hashes, service VMs through the TaaS Resources Manager. Tokens are never logged.
 */
public final class ServiceManagerCore implements ServiceManager, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceManagerCore.class);
    static final String REQUESTER = "service-manager";

    private record Entry(AppManifest manifest, AppStore.StoredApp stored) {
    }

    private final AppStore store;
    private final String storeProblem;
    private final Services services;
    private final Clock clock;
    private final RateMeter rates;
    private final Path appsDir;
    private final ManifestParser parser = new ManifestParser();
    private final Map<String, Entry> apps = new LinkedHashMap<>();
    private final Set<String> pending = new HashSet<>();
    private final Map<String, String> appByTokenHash = new ConcurrentHashMap<>();
    private final Map<String, List<Subscription>> appSubscriptions = new ConcurrentHashMap<>();
    private final Set<String> knownThings = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ThingsAllocation.Grant> grants = Map.of();

    /**
     * @param store        where apps are kept; null when it could not be opened
     * @param storeProblem why the store is missing (shown to whoever installs), or empty
     */
    public ServiceManagerCore(AppStore store, String storeProblem, Services services, Clock clock, RateMeter rates) {
        this(store, storeProblem, services, clock, rates,
                Path.of(System.getProperty("karaf.data", "data"), "betaas", "apps").toAbsolutePath());
    }

    /** @param appsDir where each app's files (its web application) are kept, one folder per app */
    public ServiceManagerCore(AppStore store, String storeProblem, Services services, Clock clock, RateMeter rates,
                              Path appsDir) {
        this.appsDir = appsDir;
        this.store = store;
        this.storeProblem = storeProblem;
        this.services = services;
        this.clock = clock;
        this.rates = rates;
        if (store != null) {
            try {
                for (AppStore.StoredApp s : store.load()) {
                    try {
                        AppManifest m = parser.parse(s.manifestJson());
                        apps.put(m.name(), new Entry(m, s));
                        appByTokenHash.put(s.tokenHash(), m.name());
                    } catch (AppException e) {
                        LOG.error("Stored app '{}' is skipped: {}", s.name(), e.getMessage());
                    }
                }
                LOG.info("Service Manager: {} app(s) loaded", apps.size());
            } catch (Exception e) {
                LOG.error("Service Manager: the installed apps cannot be loaded: {}", e.toString());
            }
        }
        reallocate();
    }

    /** Recomputes which things serve which app from the registry's things now. */
    public void reallocate() {
        List<Thing> things = services.registry().map(ThingRegistry::things).orElse(List.of());
        things.forEach(t -> knownThings.add(t.id()));
        synchronized (this) {
            Instant now = clock.instant();
            List<AppManifest> manifests = apps.values().stream().map(Entry::manifest).toList();
            Map<String, ThingsAllocation.Grant> next = ThingsAllocation.allocate(manifests, things, now,
                    id -> rates.perMinute(id, now));
            Map<String, ThingsAllocation.Grant> previous = grants;
            grants = next;
            next.forEach((app, g) -> {
                ThingsAllocation.Grant old = previous.get(app);
                if (old == null || !old.things().equals(g.things())) {
                    LOG.info("App {} is granted {} thing(s): {}", app, g.things().size(), g.sortedThings());
                }
            });
        }
    }

    /** A batch of measurements reached the registry: feeds the rates, reallocates when the thing is new. */
    public void observed(Thing thing, List<Measurement> measurements) {
        rates.arrived(thing.id(), clock.instant());
        if (knownThings.add(thing.id())) {
            reallocate();
        }
    }

    @Override
    public InstalledApp install(String manifestJson) throws AppException {
        AppManifest manifest = parser.parse(manifestJson);
        String name = manifest.name();
        if (store == null) {
            throw new AppException(Reason.UNAVAILABLE, "Cannot install app '" + name + "': " + storeProblem);
        }
        synchronized (this) {
            if (apps.containsKey(name) || !pending.add(name)) {
                throw new AppException(Reason.CONFLICT, "App '" + name + "' is already installed: uninstall it"
                        + " first (betaas:app-uninstall " + name + ") or choose another name");
            }
        }
        Optional<String> vmId = Optional.empty();
        boolean keepFiles = false;
        try {
            if (manifest.webApp().isPresent()) {
                Path war = WarFile.validate(name, manifest.webApp().get().war());
                Path copy = WarFile.copy(name, war, appsDir);
                vmId = Optional.of(deployVm(manifest, copy).id());
            }
            String token = Tokens.newToken();
            AppStore.StoredApp stored = new AppStore.StoredApp(name, manifestJson, Tokens.hash(token), vmId,
                    clock.instant());
            try {
                store.insert(stored);
            } catch (Exception e) {
                throw new AppException(Reason.UNAVAILABLE, "Cannot install app '" + name + "': the apps database"
                        + " refused it (" + e.getMessage() + ")", e);
            }
            synchronized (this) {
                apps.put(name, new Entry(manifest, stored));
                appByTokenHash.put(stored.tokenHash(), name);
            }
            LOG.info("Installed app {} of {}{}", name, manifest.owner(),
                    vmId.map(id -> " with service VM " + id).orElse(""));
            reallocate();
            vmId = Optional.empty(); // kept by the app from now on
            keepFiles = true;
            return new InstalledApp(find(name).orElseThrow(), token);
        } finally {
            vmId.ifPresent(this::destroyQuietly);
            if (!keepFiles) {
                WarFile.deleteQuietly(appsDir.resolve(name));
            }
            synchronized (this) {
                pending.remove(name);
            }
        }
    }

    private VmInstance deployVm(AppManifest manifest, Path war) throws AppException {
        String template = manifest.webApp().orElseThrow().template();
        TaasResourcesManager placement = services.placement().orElseThrow(() -> new AppException(
                Reason.UNAVAILABLE, "Cannot install app '" + manifest.name() + "': it has a web application but"
                + " no TaaS Resources Manager is running to place its service VM (install feature betaas-taas)"));
        try {
            VmInstance vm = placement.deploy(new VmRequest(template, REQUESTER), war);
            LOG.info("Service VM {} ({} on {}) deployed for app {}", vm.id(), template, vm.location(),
                    manifest.name());
            return vm;
        } catch (VmException e) {
            throw new AppException(Reason.UNAVAILABLE, "Cannot install app '" + manifest.name() + "': its service"
                    + " VM (template '" + template + "') could not be deployed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AppException(Reason.UNAVAILABLE, "Cannot install app '" + manifest.name() + "': placing its"
                    + " service VM (template '" + template + "') failed: " + e, e);
        }
    }

    private void destroyQuietly(String vmId) {
        try {
            Optional<VmManager> vms = services.vms();
            if (vms.isPresent()) {
                vms.get().destroy(vmId);
            } else {
                LOG.error("Service VM {} is left running: no VM Manager to destroy it (betaas:vm-destroy {})",
                        vmId, vmId);
            }
        } catch (VmException | RuntimeException e) {
            LOG.error("Service VM {} could not be destroyed: {}", vmId, e.getMessage());
        }
    }

    @Override
    public List<App> list() {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(apps.keySet());
        }
        return names.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    @Override
    public synchronized Optional<App> find(String name) {
        Entry e = apps.get(name);
        if (e == null) {
            return Optional.empty();
        }
        ThingsAllocation.Grant g = grants.getOrDefault(name, new ThingsAllocation.Grant(Set.of(), List.of()));
        List<String> problems = new ArrayList<>(g.problems());
        if (services.registry().isEmpty()) {
            problems.add(0, "no thing registry is running: no thing can be granted (install feature"
                    + " betaas-adaptation)");
        }
        return Optional.of(new App(e.manifest(), e.stored().installedAt(), g.sortedThings(),
                e.stored().vmId().map(this::currentVm), problems));
    }

    /** The VM that stands for the app's service VM now: the Dependability Manager may have re-placed it. */
    private String currentVm(String vmId) {
        return services.vms().map(vms -> vms.current(vmId)).orElse(vmId);
    }

    @Override
    public void uninstall(String name) throws AppException {
        Entry e;
        synchronized (this) {
            e = apps.get(name);
            if (e == null) {
                throw new AppException(Reason.NOT_FOUND, "No app '" + name + "' is installed (betaas:app-list)");
            }
        }
        Optional<String> vmId = e.stored().vmId().map(this::currentVm);
        if (vmId.isPresent()) {
            VmManager vms = services.vms().orElseThrow(() -> new AppException(Reason.UNAVAILABLE,
                    "Cannot uninstall app '" + name + "': its service VM " + vmId.get() + " must be destroyed and no"
                    + " VM Manager is running (install feature betaas-taas), the app stays installed"));
            try {
                if (vms.find(vmId.get()).isPresent()) {
                    vms.destroy(vmId.get());
                    LOG.info("Service VM {} of app {} destroyed", vmId.get(), name);
                } else {
                    LOG.info("Service VM {} of app {} is already gone", vmId.get(), name);
                }
            } catch (VmException | RuntimeException ex) {
                throw new AppException(Reason.UNAVAILABLE, "Cannot uninstall app '" + name + "': its service VM "
                        + vmId.get() + " could not be destroyed (" + ex.getMessage() + "), the app stays"
                        + " installed: try again", ex);
            }
        }
        try {
            store.delete(name);
        } catch (Exception ex) {
            throw new AppException(Reason.UNAVAILABLE, "Cannot uninstall app '" + name + "': the apps database"
                    + " refused it (" + ex.getMessage() + ")", ex);
        }
        synchronized (this) {
            apps.remove(name);
            appByTokenHash.remove(e.stored().tokenHash());
        }
        List<Subscription> subs = appSubscriptions.remove(name);
        if (subs != null) {
            subs.forEach(Subscription::close);
        }
        WarFile.deleteQuietly(appsDir.resolve(name));
        LOG.info("Uninstalled app {}", name);
        reallocate();
    }

    @Override
    public List<Thing> grantedThings(String name) throws AppException {
        synchronized (this) {
            if (!apps.containsKey(name)) {
                throw new AppException(Reason.NOT_FOUND, "No app '" + name + "' is installed (betaas:app-list)");
            }
        }
        return thingsOf(name);
    }

    private List<Thing> thingsOf(String app) throws AppException {
        ThingRegistry registry = registry();
        ThingsAllocation.Grant g = grants.get(app);
        if (g == null) {
            return List.of();
        }
        return g.sortedThings().stream().map(registry::find).flatMap(Optional::stream).toList();
    }

    private ThingRegistry registry() throws AppException {
        return services.registry().orElseThrow(() -> new AppException(Reason.UNAVAILABLE,
                "No thing registry is running (install feature betaas-adaptation)"));
    }

    @Override
    public String authenticate(String token) throws AppException {
        if (token == null || token.isBlank()) {
            throw new AppException(Reason.UNAUTHORIZED, "No app token given: send the token shown when the app"
                    + " was installed");
        }
        String hash = Tokens.hash(token.trim());
        String app = appByTokenHash.get(hash);
        if (app == null) {
            throw new AppException(Reason.UNAUTHORIZED, "Unknown app token: send the token shown when the app was"
                    + " installed (reinstall the app for a new one)");
        }
        return app;
    }

    /** The app of this token, when it was granted the thing. */
    private String authorize(String token, String thingId) throws AppException {
        String app = authenticate(token);
        ThingsAllocation.Grant g = grants.get(app);
        if (thingId == null || g == null || !g.things().contains(thingId)) {
            throw new AppException(Reason.FORBIDDEN, "App '" + app + "' was not granted thing '" + thingId
                    + "': an app reads only the things its manifest's needs match (see its granted things)");
        }
        return app;
    }

    @Override
    public List<Thing> things(String token) throws AppException {
        return thingsOf(authenticate(token));
    }

    @Override
    public List<Measurement> lastValues(String token, String thingId) throws AppException {
        authorize(token, thingId);
        return registry().lastValues(thingId);
    }

    @Override
    public Subscription subscribe(String token, MeasurementListener listener) throws AppException {
        String app = authenticate(token);
        ThingSubscriptions subs = services.subscriptions().orElseThrow(() -> new AppException(Reason.UNAVAILABLE,
                "No thing subscriptions are available (install feature betaas-adaptation)"));
        List<Subscription> mine = appSubscriptions.computeIfAbsent(app, k -> new CopyOnWriteArrayList<>());
        Subscription inner = subs.subscribe("app:" + app, ThingFilter.all(), (thing, measurements) -> {
            ThingsAllocation.Grant g = grants.get(app);
            if (g != null && g.things().contains(thing.id())) {
                listener.onMeasurements(thing, measurements);
            }
        });
        Subscription outer = new Subscription() {
            @Override
            public String subscriber() {
                return inner.subscriber();
            }

            @Override
            public SubscriberStats stats() {
                return inner.stats();
            }

            @Override
            public void close() {
                mine.remove(this);
                inner.close();
            }
        };
        mine.add(outer);
        return outer;
    }

    @Override
    public void actuate(String token, String thingId, String command) throws AppException {
        String app = authorize(token, thingId);
        Thing thing = registry().find(thingId).orElseThrow(() -> new AppException(Reason.NOT_FOUND,
                "Thing '" + thingId + "' is not known to this gateway any more"));
        if (thing.kind() != ThingKind.ACTUATOR) {
            throw new AppException(Reason.FORBIDDEN, "Thing '" + thingId + "' is a sensor: only actuators take"
                    + " commands");
        }
        if (command == null || command.isBlank()) {
            throw new AppException(Reason.INVALID, "Empty command for actuator '" + thingId + "': give one");
        }
        ThingAdaptor adaptor = services.adaptor(thing.protocol()).orElseThrow(() -> new AppException(
                Reason.UNAVAILABLE, "No " + thing.protocol() + " adaptor is running to drive '" + thingId + "'"));
        try {
            adaptor.actuate(thingId, command);
            LOG.info("App {} sent a command to actuator {}", app, thingId);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new AppException(Reason.UNAVAILABLE, "Actuator '" + thingId + "' cannot take the command now: "
                    + e.getMessage(), e);
        }
    }

    /** Closes every app subscription and the store. */
    @Override
    public void close() {
        appSubscriptions.values().forEach(l -> l.forEach(Subscription::close));
        appSubscriptions.clear();
        if (store != null) {
            store.close();
        }
    }

    /** For the component's statistics: how many apps are installed. */
    synchronized int size() {
        return apps.size();
    }

}
