package org.betaas.adaptation.ble.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.betaas.api.ble.BleDevice;
import org.junit.Test;

public class DeviceTrackerTest {

    private static final String A = "AA:BB:CC:00:00:01";
    private final DeviceTracker tracker = new DeviceTracker(-80, 5, Duration.ofSeconds(30));
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    private static BleDevice dev(Integer rssi) {
        return new BleDevice(A, "sensor", rssi, false);
    }

    private List<DeviceTracker.Decision> at(int seconds, BleDevice... seen) {
        return tracker.update(t0.plusSeconds(seconds), List.of(seen));
    }

    @Test
    public void aDeviceAtTheThresholdIsKeptOnce() {
        assertEquals(List.of(new DeviceTracker.Keep(dev(-80))), at(0, dev(-80)));
        assertEquals(List.of(), at(10, dev(-70)));
        assertEquals(DeviceTracker.Phase.KEPT, tracker.get(A).orElseThrow().phase());
    }

    @Test
    public void aWeakerDeviceIsIgnoredUntilItComesCloser() {
        assertEquals(List.of(), at(0, dev(-81)));
        assertEquals(DeviceTracker.Phase.IGNORED, tracker.get(A).orElseThrow().phase());
        assertTrue(tracker.get(A).orElseThrow().reason().contains("-81 dBm < threshold -80 dBm"));
        assertEquals(List.of(), at(5, dev(null)));
        assertEquals(1, at(10, dev(-60)).size());
    }

    @Test
    public void hysteresisKeepsADeviceAtTheEdge() {
        at(0, dev(-78));
        for (int s = 10; s <= 120; s += 10) {
            assertEquals("at " + s + " s", List.of(), at(s, dev(s % 20 == 0 ? -85 : -79)));
        }
    }

    @Test
    public void aDeviceWeakForLongerThanTheGracePeriodIsLost() {
        at(0, dev(-70));
        assertEquals(List.of(), at(10, dev(-90)));
        assertEquals(List.of(), at(39, dev(-90)));
        List<DeviceTracker.Decision> d = at(40, dev(-90));
        assertEquals(1, d.size());
        DeviceTracker.Lost lost = (DeviceTracker.Lost) d.get(0);
        assertEquals(A, lost.address());
        assertEquals("RSSI -90 dBm below -85 dBm for 30 s", lost.reason());
        assertEquals(List.of(), at(50, dev(-90)));
    }

    @Test
    public void aShortDipDoesNotLoseTheDevice() {
        at(0, dev(-70));
        at(10, dev(-95));
        at(30, dev(-70));
        assertEquals(List.of(), at(45, dev(-95)));
        assertEquals(List.of(), at(70, dev(-95)));
        assertEquals(1, at(75, dev(-95)).size());
    }

    @Test
    public void aDeviceNoLongerListedIsLostAfterTheGracePeriod() {
        at(0, dev(-70));
        assertEquals(List.of(), at(10));
        List<DeviceTracker.Decision> d = at(40);
        assertEquals("not received for 30 s", ((DeviceTracker.Lost) d.get(0)).reason());
    }

    @Test
    public void aRemovedKeptDeviceIsLostAtOnceAndAnIgnoredOneIsForgotten() {
        at(0, dev(-70));
        assertTrue(tracker.removed(A).orElseThrow() instanceof DeviceTracker.Lost);
        assertEquals(DeviceTracker.Phase.LOST, tracker.get(A).orElseThrow().phase());
        assertTrue(tracker.removed("00:00:00:00:00:09").isEmpty());

        DeviceTracker other = new DeviceTracker(-80, 5, Duration.ofSeconds(30));
        other.update(t0, List.of(dev(-90)));
        assertTrue(other.removed(A).isEmpty());
        assertTrue(other.get(A).isEmpty());
    }

    @Test
    public void aLostDeviceThatComesBackIsKeptAgain() {
        at(0, dev(-70));
        tracker.removed(A);
        assertEquals(List.of(), at(10, dev(-90)));
        assertEquals(DeviceTracker.Phase.LOST, tracker.get(A).orElseThrow().phase());
        assertEquals(1, at(20, dev(-75)).size());
    }
}
