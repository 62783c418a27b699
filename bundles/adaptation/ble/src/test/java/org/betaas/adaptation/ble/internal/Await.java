package org.betaas.adaptation.ble.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for what a BLE test expects to happen on the mock bus (shared with the tinyb provider's test). */
final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after 10 s. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
