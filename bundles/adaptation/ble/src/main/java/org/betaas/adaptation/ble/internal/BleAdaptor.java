package org.betaas.adaptation.ble.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.betaas.api.ble.BleDeviceState;
import org.betaas.api.ble.BleDiscovery;
import org.betaas.api.ble.BleProvider;
import org.betaas.api.ble.BleStatus;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.things.ThingRegistry;
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
 * The BLE adaptor: scans through a {@link BleProvider} every scan interval and reports the devices it keeps to the
 * {@link ThingRegistry}. Without a Bluetooth adapter it stays active and says so in {@link #providerStatus()};
 * without a registry it still tracks devices (for {@code betaas:ble-devices}) and reports once one appears.
 * Where several providers are installed, {@code provider.target} in its configuration picks one (the reference is
 * named {@code provider} for that).
 */
@Component(configurationPid = "org.betaas.ble", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS BLE adaptor")
@Designate(ocd = BleConfiguration.class)
public final class BleAdaptor implements BleDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(BleAdaptor.class);

    private final BleProvider provider;
    private final BleSession session;
    private final List<String> problems;
    private final ScheduledExecutorService scanner;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ThingRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LocalGateway gateway;

    @Activate
    public BleAdaptor(@Reference(name = "provider") BleProvider provider, BleConfiguration config) {
        this.provider = provider;
        List<String> found = new ArrayList<>();
        CharacteristicMapping mapping = CharacteristicMapping.parse(config.characteristics());
        found.addAll(mapping.problems());
        int interval = config.scan_interval_seconds();
        if (interval < 1) {
            found.add("scan.interval.seconds in etc/org.betaas.ble.cfg must be at least 1 (was " + interval
                    + "); using 10");
            interval = 10;
        }
        int grace = config.lost_grace_seconds();
        if (grace < 0) {
            found.add("lost.grace.seconds in etc/org.betaas.ble.cfg must not be negative (was " + grace
                    + "); using 30");
            grace = 30;
        }
        int threshold = config.rssi_threshold();
        if (threshold > 20 || threshold < -127) {
            found.add("rssi.threshold in etc/org.betaas.ble.cfg must be a dBm value between -127 and 20 (was "
                    + threshold + "); using -80");
            threshold = -80;
        }
        this.problems = List.copyOf(found);
        problems.forEach(p -> LOG.warn("BLE adaptor configuration: {}", p));
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-ble-scan");
            t.setDaemon(true);
            return t;
        });
        DeviceTracker tracker = new DeviceTracker(threshold, config.rssi_hysteresis(), Duration.ofSeconds(grace));
        this.session = new BleSession(provider, () -> registry, this::gatewayId, mapping, tracker,
                Clock.systemUTC(), scanner);
        provider.addListener(session);
        scanner.scheduleWithFixedDelay(this::scan, 0, interval, TimeUnit.SECONDS);
    }

    /** A scan that throws would end the schedule: log it and go on with the next one. */
    private void scan() {
        try {
            session.scan();
        } catch (RuntimeException e) {
            LOG.warn("BLE scan through {} failed: {}", provider.name(), e.toString());
        }
    }

    private String gatewayId() {
        LocalGateway g = gateway;
        return g == null ? "" : g.identity().gatewayId();
    }

    @Deactivate
    private void deactivate() {
        provider.removeListener(session);
        scanner.shutdownNow();
        try {
            scanner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.stop();
    }

    @Override
    public List<BleDeviceState> devices() {
        return session.devices();
    }

    @Override
    public BleStatus providerStatus() {
        return session.status();
    }

    @Override
    public List<String> configurationProblems() {
        return problems;
    }
}
