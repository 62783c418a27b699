package org.betaas.service.manager.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.betaas.api.apps.App;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.InstalledApp;
import org.betaas.api.apps.ServiceManager;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.api.vm.VmManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServiceManagerCore} as a service (PID {@code org.betaas.apps}). Every service it uses is optional and
 * dynamic: without one, the operations that need it answer with a message saying which feature to install.
 */
@Component(configurationPid = "org.betaas.apps", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = ServiceManager.class, immediate = true,
        property = "service.description=BETaaS Service Manager")
@Designate(ocd = ServiceManagerConfiguration.class)
public final class ServiceManagerComponent implements ServiceManager, Services {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceManagerComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ThingRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ThingSubscriptions subscriptions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaasResourcesManager placement;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VmManager vms;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, fieldOption = FieldOption.UPDATE)
    private final List<ThingAdaptor> adaptors = new CopyOnWriteArrayList<>();

    private final ServiceManagerCore core;
    private final ScheduledExecutorService timer;
    private ThingSubscriptions subscribedTo;
    private Subscription subscription;

    @Activate
    public ServiceManagerComponent(ServiceManagerConfiguration config) {
        int interval = config.reallocate_interval_s();
        if (interval < 1 || interval > 3600) {
            LOG.error("Service Manager configuration: reallocate.interval.s in etc/org.betaas.apps.cfg is {}: use"
                    + " 1-3600 (using 10 meanwhile)", interval);
            interval = 10;
        }
        int window = config.rate_window_s();
        if (window < 10 || window > 86_400) {
            LOG.error("Service Manager configuration: rate.window.s in etc/org.betaas.apps.cfg is {}: use"
                    + " 10-86400 (using 300 meanwhile)", window);
            window = 300;
        }
        String url = config.jdbc_url().trim();
        if (url.isEmpty()) {
            String data = System.getProperty("karaf.data", "data");
            url = "jdbc:h2:file:" + Path.of(data, "betaas", "apps").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        AppStore store = null;
        String problem = "";
        try {
            store = new H2AppStore(url);
        } catch (Exception | LinkageError e) {
            problem = "the apps database " + url + " cannot be opened (" + e.getMessage() + "): check jdbc.url in"
                    + " etc/org.betaas.apps.cfg";
            LOG.error("Service Manager: {}", problem);
        }
        core = new ServiceManagerCore(store, problem, this, Clock.systemUTC(), new RateMeter(
                Duration.ofSeconds(window)));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-apps-reallocate");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.SECONDS);
    }

    /** Follows the current subscriptions service and reallocates. */
    private void tick() {
        try {
            ThingSubscriptions current = subscriptions;
            if (current != subscribedTo) {
                if (subscription != null) {
                    try {
                        subscription.close();
                    } catch (RuntimeException e) {
                        LOG.debug("Closing the apps' thing subscription: {}", e.toString());
                    }
                    subscription = null;
                }
                subscribedTo = current;
                if (current != null) {
                    MeasurementListener l = core::observed;
                    subscription = current.subscribe("service-manager", ThingFilter.all(), l);
                }
            }
            core.reallocate();
        } catch (RuntimeException e) {
            LOG.warn("Service Manager: reallocation failed: {}", e.toString());
        }
    }

    @Deactivate
    private void deactivate() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the apps' thing subscription: {}", e.toString());
            }
        }
        core.close();
    }

    @Override
    public Optional<ThingRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    @Override
    public Optional<ThingSubscriptions> subscriptions() {
        return Optional.ofNullable(subscriptions);
    }

    @Override
    public Optional<TaasResourcesManager> placement() {
        return Optional.ofNullable(placement);
    }

    @Override
    public Optional<VmManager> vms() {
        return Optional.ofNullable(vms);
    }

    @Override
    public Optional<ThingAdaptor> adaptor(String protocol) {
        return adaptors.stream().filter(a -> a.protocol().equals(protocol)).findFirst();
    }

    @Override
    public InstalledApp install(String manifestJson) throws AppException {
        return core.install(manifestJson);
    }

    @Override
    public List<App> list() {
        return core.list();
    }

    @Override
    public Optional<App> find(String name) {
        return core.find(name);
    }

    @Override
    public void uninstall(String name) throws AppException {
        core.uninstall(name);
    }

    @Override
    public List<Thing> grantedThings(String name) throws AppException {
        return core.grantedThings(name);
    }

    @Override
    public String authenticate(String token) throws AppException {
        return core.authenticate(token);
    }

    @Override
    public List<Thing> things(String token) throws AppException {
        return core.things(token);
    }

    @Override
    public List<Measurement> lastValues(String token, String thingId) throws AppException {
        return core.lastValues(token, thingId);
    }

    @Override
    public Subscription subscribe(String token, MeasurementListener listener) throws AppException {
        return core.subscribe(token, listener);
    }

    @Override
    public void actuate(String token, String thingId, String command) throws AppException {
        core.actuate(token, thingId, command);
    }
}
