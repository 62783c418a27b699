package org.betaas.adaptation.ble.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.betaas.api.ble.BleDevice;
import org.betaas.api.ble.BleDeviceState;
import org.betaas.api.ble.BleException;
import org.betaas.api.ble.BleListener;
import org.betaas.api.ble.BleProvider;
import org.betaas.api.ble.BleStatus;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the BLE adaptor on one provider: each {@link #scan()} lists the devices, lets the
 * {@link DeviceTracker} decide, connects to newly kept devices, reads (and subscribes) the configured
 * characteristics and reports them as things; lost devices are reported lost. The provider's events (removed
 * devices, notified values) are handed to the {@code events} executor, the adaptor's scan thread.
 */
final class BleSession implements BleListener {

    private static final Logger LOG = LoggerFactory.getLogger(BleSession.class);

    private final BleProvider provider;
    private final Supplier<ThingRegistry> registry;
    private final Supplier<String> gatewayId;
    private final CharacteristicMapping mapping;
    private final DeviceTracker tracker;
    private final Clock clock;
    private final Executor events;

    /** Kept devices that are connected and read: address → the characteristics read from it. */
    private final Map<String, List<CharacteristicMapping.Entry>> attached = new ConcurrentHashMap<>();
    /** Devices whose connection failed: address → reason (retried on the next scan). */
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    /** Characteristics that notify: address → UUIDs (the others are re-read on every scan). */
    private final Map<String, Set<String>> subscribed = new ConcurrentHashMap<>();
    private volatile List<BleDeviceState> snapshot = List.of();
    private volatile BleStatus status;
    private boolean scanning;

    BleSession(BleProvider provider, Supplier<ThingRegistry> registry, Supplier<String> gatewayId,
               CharacteristicMapping mapping, DeviceTracker tracker, Clock clock, Executor events) {
        this.provider = provider;
        this.registry = registry;
        this.gatewayId = gatewayId;
        this.mapping = mapping;
        this.tracker = tracker;
        this.clock = clock;
        this.events = events;
        this.status = new BleStatus(false, provider.name(), "not scanned yet");
    }

    /** One scan cycle; never throws. */
    synchronized void scan() {
        BleStatus now = provider.status();
        if (!now.equals(status)) {
            if (now.available()) {
                LOG.info("BLE {}: {} ({})", provider.name(), now.detail(), now.endpoint());
            } else {
                LOG.info("BLE {} not available: {}", provider.name(), now.detail());
            }
        }
        status = now;
        if (!now.available()) {
            scanning = false;
            return;
        }
        try {
            if (!scanning) {
                provider.startScan();
                scanning = true;
            }
            List<BleDevice> devices = provider.devices();
            for (DeviceTracker.Decision d : tracker.update(clock.instant(), devices)) {
                apply(d);
            }
            for (String address : List.copyOf(attached.keySet())) {
                refresh(address);
            }
            for (String address : List.copyOf(failures.keySet())) {
                tracker.get(address).filter(t -> t.phase() == DeviceTracker.Phase.KEPT)
                        .ifPresent(t -> attach(t.device()));
            }
        } catch (BleException e) {
            scanning = false;
            status = new BleStatus(false, now.endpoint(), e.getMessage());
            LOG.warn("BLE scan on {} failed: {}", provider.name(), e.getMessage());
        } finally {
            updateSnapshot();
        }
    }

    private void apply(DeviceTracker.Decision decision) {
        if (decision instanceof DeviceTracker.Keep keep) {
            attach(keep.device());
        } else if (decision instanceof DeviceTracker.Lost lost) {
            lose(lost.address(), lost.reason());
        }
    }

    private void attach(BleDevice device) {
        String address = device.address();
        try {
            provider.connect(address);
            List<CharacteristicMapping.Entry> read = new ArrayList<>();
            Set<String> notifying = ConcurrentHashMap.newKeySet();
            for (String uuid : provider.characteristics(address)) {
                mapping.get(uuid).ifPresent(entry -> {
                    read.add(entry);
                    try {
                        provider.subscribe(address, entry.characteristic().uuid());
                        notifying.add(entry.characteristic().uuid());
                    } catch (BleException e) {
                        LOG.debug("{} does not notify {}: {}", address, uuid, e.getMessage());
                    }
                });
            }
            if (read.isEmpty()) {
                LOG.info("BLE device {} ({}) has none of the configured characteristics {}", address,
                        device.name(), mapping.entries().keySet());
            }
            attached.put(address, List.copyOf(read));
            subscribed.put(address, notifying);
            failures.remove(address);
            report(address, readAll(address, read));
            LOG.info("BLE device {} ({}, {} dBm) kept: reading {}", address, device.name(), device.rssi(),
                    read.stream().map(CharacteristicMapping.Entry::type).toList());
        } catch (BleException e) {
            failures.put(address, e.getMessage());
            LOG.warn("BLE device {} kept but not readable: {}", address, e.getMessage());
        }
    }

    private void refresh(String address) {
        List<CharacteristicMapping.Entry> entries = attached.get(address);
        if (entries == null) {
            return;
        }
        Set<String> notifying = subscribed.getOrDefault(address, Set.of());
        List<CharacteristicMapping.Entry> polled = entries.stream()
                .filter(e -> !notifying.contains(e.characteristic().uuid())).toList();
        try {
            report(address, readAll(address, polled));
        } catch (BleException e) {
            LOG.debug("re-reading {} failed: {}", address, e.getMessage());
        }
    }

    private List<Measurement> readAll(String address, List<CharacteristicMapping.Entry> entries) throws BleException {
        List<Measurement> measurements = new ArrayList<>();
        for (CharacteristicMapping.Entry entry : entries) {
            byte[] value = provider.read(address, entry.characteristic().uuid());
            measurement(address, entry, value).ifPresent(measurements::add);
        }
        return measurements;
    }

    private java.util.Optional<Measurement> measurement(String address, CharacteristicMapping.Entry entry,
                                                        byte[] value) {
        OptionalDouble v = entry.characteristic().decode(value);
        if (v.isEmpty()) {
            LOG.debug("{} {}: value not known or too short ({} bytes)", address, entry.type(),
                    value == null ? 0 : value.length);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Measurement(thingId(address), entry.type(), clock.instant(),
                entry.characteristic().unit(), v.getAsDouble()));
    }

    private void report(String address, List<Measurement> measurements) {
        ThingRegistry r = registry.get();
        if (r == null) {
            return;
        }
        try {
            r.report(thing(address), measurements);
        } catch (RuntimeException e) {
            LOG.warn("the thing registry refused BLE device {}: {}", address, e.toString());
        }
    }

    private Thing thing(String address) {
        List<CharacteristicMapping.Entry> entries = attached.getOrDefault(address, List.of());
        String type = entries.isEmpty() ? "ble-device"
                : String.join(",", entries.stream().map(CharacteristicMapping.Entry::type).toList());
        String unit = entries.size() == 1 ? entries.get(0).characteristic().unit() : "";
        Map<String, String> metadata = new HashMap<>();
        metadata.put("ble.address", address);
        tracker.get(address).ifPresent(t -> {
            metadata.put("ble.name", t.device().name());
            if (t.device().rssi() != null) {
                metadata.put("ble.rssi", Integer.toString(t.device().rssi()));
            }
        });
        metadata.put("ble.provider", provider.name());
        Instant now = clock.instant();
        return new Thing(thingId(address), ThingKind.SENSOR, type, unit, gatewayId.get(), "ble", now, now, "",
                metadata);
    }

    private void lose(String address, String reason) {
        attached.remove(address);
        subscribed.remove(address);
        failures.remove(address);
        provider.disconnect(address);
        LOG.info("BLE device {} lost: {}", address, reason);
        ThingRegistry r = registry.get();
        if (r != null) {
            try {
                r.lost(thingId(address), reason);
            } catch (RuntimeException e) {
                LOG.warn("the thing registry refused the loss of BLE device {}: {}", address, e.toString());
            }
        }
    }

    /** The thing id of a device: RFC 8428's example form {@code urn:dev:mac:<48-bit address in hex>}. */
    static String thingId(String address) {
        return "urn:dev:mac:" + address.replace(":", "").toLowerCase(Locale.ROOT);
    }

    /** Handled on the adaptor's thread: the provider's signal thread must not wait for a scan in progress. */
    @Override
    public void deviceRemoved(String address) {
        events.execute(() -> {
            synchronized (this) {
                tracker.removed(address).ifPresent(this::apply);
                updateSnapshot();
            }
        });
    }

    /** Also handed to the adaptor's thread: the thing's metadata comes from the tracker, which is single-threaded. */
    @Override
    public void valueChanged(String address, String characteristicUuid, byte[] value) {
        byte[] copy = value == null ? null : value.clone();
        events.execute(() -> {
            synchronized (this) {
                if (!attached.containsKey(address)) {
                    return;
                }
                mapping.get(characteristicUuid).flatMap(entry -> measurement(address, entry, copy))
                        .ifPresent(m -> report(address, List.of(m)));
            }
        });
    }

    private void updateSnapshot() {
        List<BleDeviceState> states = new ArrayList<>();
        for (DeviceTracker.Tracked t : tracker.all()) {
            String address = t.device().address();
            String state = switch (t.phase()) {
                case IGNORED -> "ignored: " + t.reason();
                case LOST -> "lost: " + t.reason();
                case KEPT -> failures.containsKey(address) ? "failed: " + failures.get(address)
                        : attached.containsKey(address) ? "connected" : "kept";
            };
            states.add(new BleDeviceState(address, t.device().name(), t.device().rssi(),
                    t.phase() != DeviceTracker.Phase.IGNORED, state, thingId(address), t.lastSeen()));
        }
        snapshot = List.copyOf(states);
    }

    List<BleDeviceState> devices() {
        return snapshot;
    }

    BleStatus status() {
        return status;
    }

    void stop() {
        if (scanning) {
            provider.stopScan();
        }
        for (String address : List.copyOf(attached.keySet())) {
            provider.disconnect(address);
        }
    }
}
