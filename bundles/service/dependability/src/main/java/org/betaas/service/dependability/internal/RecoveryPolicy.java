package org.betaas.service.dependability.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded retries with exponential backoff: the first attempt comes {@code initialDelay} after a failure is first
 * seen (so that short blips, e.g. a bundle refresh, leave no trace), each following one twice as late as the one
 * before, never later than {@code maxDelay}; after {@code maxAttempts} attempts the manager gives up.
 */
record RecoveryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    RecoveryPolicy {
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be 0 or more, not " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            maxDelay = initialDelay;
        }
    }

    /** Checks configured values; one message per wrong value, naming the key. */
    static List<String> problems(int maxAttempts, long initialDelaySeconds, long maxDelaySeconds) {
        List<String> problems = new ArrayList<>();
        if (maxAttempts < 0) {
            problems.add("maxAttempts = " + maxAttempts + " is negative: use 0 (never act) or more");
        }
        if (initialDelaySeconds < 0) {
            problems.add("initialDelaySeconds = " + initialDelaySeconds + " is negative: use 0 or more");
        }
        if (maxDelaySeconds < 0) {
            problems.add("maxDelaySeconds = " + maxDelaySeconds + " is negative: use 0 or more");
        }
        return problems;
    }

    /** The wait before attempt {@code attempt} (1-based), counted from the failure (1) or the previous attempt. */
    Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return initialDelay;
        }
        Duration d = initialDelay;
        for (int i = 1; i < attempt && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
