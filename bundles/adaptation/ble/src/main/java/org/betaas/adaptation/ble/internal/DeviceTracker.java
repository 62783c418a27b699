package org.betaas.adaptation.ble.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.betaas.api.ble.BleDevice;

/**
 * Decides which BLE devices are kept and when a kept one is lost.
 * <ul>
 * <li>a device is kept once its RSSI is at or above the threshold;</li>
 * <li>a kept device stays kept while its RSSI stays at or above {@code threshold - hysteresis} (so a device at the
 * edge does not flap); when it is weaker, or not received at all, for longer than the grace period it is lost;</li>
 * <li>a device the stack removes is lost at once;</li>
 * <li>a lost device that comes back at or above the threshold is kept again.</li>
 * </ul>
 * Not thread-safe: the adaptor calls it from its one scan thread.
 */
final class DeviceTracker {

    enum Phase { IGNORED, KEPT, LOST }

    /** What the adaptor must do after a scan. */
    sealed interface Decision permits Keep, Lost {
    }

    /** Connect and read this device. */
    record Keep(BleDevice device) implements Decision {
    }

    /** Report this device lost. */
    record Lost(String address, String reason) implements Decision {
    }

    /** What is known of one device. */
    record Tracked(BleDevice device, Phase phase, String reason, Instant lastSeen, Instant weakSince) {
    }

    private final int threshold;
    private final int hysteresis;
    private final Duration grace;
    private final Map<String, Tracked> devices = new LinkedHashMap<>();

    DeviceTracker(int threshold, int hysteresis, Duration grace) {
        this.threshold = threshold;
        this.hysteresis = Math.max(0, hysteresis);
        this.grace = grace;
    }

    /** Takes one scan's result: every device the stack currently knows. */
    List<Decision> update(Instant now, Collection<BleDevice> seen) {
        List<Decision> decisions = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (BleDevice d : seen) {
            present.add(d.address());
            Tracked before = devices.get(d.address());
            Integer rssi = d.rssi();
            boolean strong = rssi != null && rssi >= threshold;
            if (before == null || before.phase() != Phase.KEPT) {
                if (strong) {
                    devices.put(d.address(), new Tracked(d, Phase.KEPT, "", now, null));
                    decisions.add(new Keep(d));
                } else if (before != null && before.phase() == Phase.LOST) {
                    devices.put(d.address(), new Tracked(d, Phase.LOST, before.reason(), now, null));
                } else {
                    devices.put(d.address(), new Tracked(d, Phase.IGNORED, rssi == null
                            ? "no RSSI" : "RSSI " + rssi + " dBm < threshold " + threshold + " dBm", now, null));
                }
                continue;
            }
            boolean stillInRange = rssi != null && rssi >= threshold - hysteresis;
            if (stillInRange) {
                devices.put(d.address(), new Tracked(d, Phase.KEPT, "", now, null));
            } else {
                weak(now, before, d, decisions);
            }
        }
        for (Tracked t : List.copyOf(devices.values())) {
            if (t.phase() == Phase.KEPT && !present.contains(t.device().address())) {
                BleDevice silent = new BleDevice(t.device().address(), t.device().name(), null, false);
                weak(now, t, silent, decisions);
            }
        }
        return decisions;
    }

    private void weak(Instant now, Tracked before, BleDevice d, List<Decision> decisions) {
        Instant since = before.weakSince() == null ? now : before.weakSince();
        if (Duration.between(since, now).compareTo(grace) >= 0) {
            String reason = (d.rssi() == null ? "not received"
                    : "RSSI " + d.rssi() + " dBm below " + (threshold - hysteresis) + " dBm")
                    + " for " + grace.toSeconds() + " s";
            devices.put(d.address(), new Tracked(d, Phase.LOST, reason, before.lastSeen(), null));
            decisions.add(new Lost(d.address(), reason));
        } else {
            Instant lastSeen = d.rssi() == null ? before.lastSeen() : now;
            devices.put(d.address(), new Tracked(d.rssi() == null ? before.device() : d, Phase.KEPT, "", lastSeen,
                    since));
        }
    }

    /** The stack removed a device: a kept one is lost at once. */
    Optional<Decision> removed(String address) {
        Tracked t = devices.get(address);
        if (t == null) {
            return Optional.empty();
        }
        if (t.phase() != Phase.KEPT) {
            devices.remove(address);
            return Optional.empty();
        }
        String reason = "removed by the Bluetooth stack (out of range)";
        devices.put(address, new Tracked(t.device(), Phase.LOST, reason, t.lastSeen(), null));
        return Optional.of(new Lost(address, reason));
    }

    Optional<Tracked> get(String address) {
        return Optional.ofNullable(devices.get(address));
    }

    List<Tracked> all() {
        return List.copyOf(devices.values());
    }
}
