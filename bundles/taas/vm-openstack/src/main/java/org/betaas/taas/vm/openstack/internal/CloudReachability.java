package org.betaas.taas.vm.openstack.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.betaas.api.vm.DriverStatus;

/**
 * The cloud's status as its callers need it: a reachable cloud is probed on every call, an unreachable one is
 * answered from its last probe and probed again in the background, at most once per interval.
 * <p>
 * Why: a cloud out of reach often does not refuse but hangs until {@code requestTimeoutSeconds} (30 s by
 * default), and every status of this gateway on the instance bus (each 5 s), every placement and every
 * {@code betaas:gateway-info} asks whether the cloud is reachable. Asked inline, a hanging cloud delayed them all
 * by that long: peers missed this gateway's statuses. No caller waits for a cloud known to be out of reach.
 */
final class CloudReachability {

    private final Supplier<DriverStatus> probe;
    private final Executor background;
    private final Clock clock;
    private final Duration interval;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile DriverStatus unreachable;
    private volatile Instant checkedAt;

    CloudReachability(Supplier<DriverStatus> probe, Executor background, Clock clock, Duration interval) {
        this.probe = probe;
        this.background = background;
        this.clock = clock;
        this.interval = interval;
    }

    DriverStatus status() {
        DriverStatus last = unreachable;
        if (last == null) {
            return record(probe.get());
        }
        Instant at = checkedAt;
        Duration age = Duration.between(at, clock.instant());
        if (age.compareTo(interval) >= 0 && probing.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    try {
                        record(probe.get());
                    } finally {
                        probing.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                probing.set(false); // shutting down
            }
        }
        return new DriverStatus(false, last.endpoint(), last.detail() + " (as of " + age.toSeconds() + " s ago)");
    }

    private DriverStatus record(DriverStatus s) {
        if (s.reachable()) {
            unreachable = null;
        } else {
            checkedAt = clock.instant();
            unreachable = s;
        }
        return s;
    }
}
