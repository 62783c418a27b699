package org.betaas.adaptation.things.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link H2ThingRegistry} as a service, configured by PID {@code org.betaas.things}. */
@Component(configurationPid = "org.betaas.things", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ThingRegistry.class, ThingSubscriptions.class},
        property = "service.description=BETaaS thing registry")
@Designate(ocd = ThingRegistryConfiguration.class)
public final class ThingRegistryComponent implements ThingRegistry, ThingSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(ThingRegistryComponent.class);

    private final H2ThingRegistry registry;

    @Activate
    public ThingRegistryComponent(ThingRegistryConfiguration config) throws SQLException {
        String url = config.jdbc_url().trim();
        if (url.isEmpty()) {
            String data = System.getProperty("karaf.data", "data");
            // WRITE_DELAY=0: a flush is on disk when it commits, so that a failed write (a full disk) fails the flush
            // and its values are written again at the next one, instead of failing later in H2's background writer
            url = "jdbc:h2:file:" + Path.of(data, "betaas", "things").toAbsolutePath()
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        }
        long interval = config.flush_interval_ms();
        if (interval < 100 || interval > 60_000) {
            LOG.error("Thing registry configuration: flush.interval.ms in etc/org.betaas.things.cfg is {}: use"
                    + " 100-60000 (using 1000 meanwhile)", interval);
            interval = 1000;
        }
        registry = new H2ThingRegistry(H2ThingRegistry.open(url), interval);
    }

    @Deactivate
    private void deactivate() {
        registry.close();
    }

    @Override
    public List<Thing> things() {
        return registry.things();
    }

    @Override
    public Optional<Thing> find(String thingId) {
        return registry.find(thingId);
    }

    @Override
    public List<Measurement> lastValues(String thingId) {
        return registry.lastValues(thingId);
    }

    @Override
    public void report(Thing thing, List<Measurement> measurements) {
        registry.report(thing, measurements);
    }

    @Override
    public void lost(String thingId, String reason) {
        registry.lost(thingId, reason);
    }

    @Override
    public Subscription subscribe(String subscriber, ThingFilter filter, int queueCapacity,
                                  MeasurementListener listener) {
        return registry.subscribe(subscriber, filter, queueCapacity, listener);
    }

    @Override
    public List<SubscriberStats> subscriberStats() {
        return registry.subscriberStats();
    }
}
