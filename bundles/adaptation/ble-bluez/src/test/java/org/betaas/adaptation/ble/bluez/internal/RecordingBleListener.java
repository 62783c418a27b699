package org.betaas.adaptation.ble.bluez.internal;

import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.betaas.api.ble.BleListener;

/**
 * What a Bluetooth stack told its listener, as lines ("removed ADDRESS", "value ADDRESS UUID HEX"), in order:
 * the mock-bus tests of the BlueZ and tinyb providers compare them.
 */
public final class RecordingBleListener implements BleListener {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void deviceRemoved(String address) {
        events.add("removed " + address);
    }

    @Override
    public void valueChanged(String address, String uuid, byte[] value) {
        events.add("value " + address + " " + uuid + " " + HexFormat.of().formatHex(value));
    }

    /** The next event, waiting at most {@code seconds}; null when none came. */
    public String next(long seconds) throws InterruptedException {
        return events.poll(seconds, TimeUnit.SECONDS);
    }
}
