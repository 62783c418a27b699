package org.betaas.taas.resources.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.VmReservation;
import org.betaas.api.vm.VmManager;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples this gateway's resources every interval (PID {@code org.betaas.resources}), keeps a bounded history in
 * H2 and refits Holt forecasts of it periodically. What this gateway's VMs reserve (vCPUs, memory; from the VM
 * Manager when it is installed) is sampled into the same history. A configuration change restarts the component.
 */
@Component(configurationPid = "org.betaas.resources", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS resource history and Holt forecasts")
@Designate(ocd = ResourceHistoryConfiguration.class)
public final class ResourceHistoryComponent implements ResourceHistory {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceHistoryComponent.class);

    private final ResourceSettings settings;
    private final ResourceHistoryStore store;
    private final ResourceSampler sampler;
    private final ScheduledExecutorService scheduler;

    /** This gateway's VM Manager, when installed: what its VMs reserve is sampled with the rest. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile VmManager vmManager;

    @Activate
    public ResourceHistoryComponent(@Reference ResourceMonitor monitor, ResourceHistoryConfiguration config) {
        settings = ResourceSettings.parse(config.interval_seconds(), config.history_hours(), config.refit_seconds(),
                config.forecast_horizon(), config.database_url(), System.getProperty("karaf.data"));
        settings.problems().forEach(p -> LOG.error("Resource history configuration: {}", p));
        store = openStore(settings.databaseUrl());
        sampler = new ResourceSampler(monitor, store, settings, new HoltForecaster(), Clock.systemUTC(),
                this::reservedByVms);
        int loaded = sampler.load();
        LOG.info("Resource history: a sample every {} s, {} h kept ({} samples loaded), refit every {} s",
                settings.interval().toSeconds(), settings.history().toHours(), loaded, settings.refit().toSeconds());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-resource-history");
            t.setDaemon(true);
            return t;
        });
        long period = settings.interval().toMillis();
        scheduler.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    /** The vCPUs and memory this gateway's VMs reserve now; null without a VM Manager. */
    private ReservedAmounts reservedByVms() {
        VmManager m = vmManager;
        return m == null ? null : ReservedAmounts.of(m.list(), TaasResourcesManagerComponent.LOCAL_DRIVER);
    }

    @Override
    public double[] series(VmReservation reservation) {
        return sampler.series(reservation);
    }

    private static ResourceHistoryStore openStore(String url) {
        try {
            return ResourceHistoryStore.open(url);
        } catch (SQLException | RuntimeException e) {
            LOG.error("Cannot open the resource history database {} (history kept in memory only, lost on restart):"
                    + " {}", url, e.getMessage());
            return null;
        }
    }

    private void tick() {
        try {
            sampler.sample();
            sampler.refitIfDue();
        } catch (RuntimeException e) {
            // never let one failed sample cancel the schedule
            LOG.warn("Resource sampling failed: {}", e.toString());
        }
    }

    @Deactivate
    private void deactivate() throws InterruptedException {
        // not shutdownNow: interrupting H2 in the middle of a write closes its file channel
        scheduler.shutdown();
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("Resource sampling did not stop within 10 s");
        }
        if (store != null) {
            try {
                store.close();
            } catch (SQLException e) {
                LOG.warn("Closing the resource history database: {}", e.getMessage());
            }
        }
    }

    @Override
    public Duration interval() {
        return settings.interval();
    }

    @Override
    public double[] series(ResourceKind kind) {
        return sampler.series(kind);
    }

    @Override
    public Forecast forecast(ResourceKind kind) {
        return sampler.forecast(kind);
    }
}
