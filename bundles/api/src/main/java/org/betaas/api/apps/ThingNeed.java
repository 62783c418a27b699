package org.betaas.api.apps;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import org.betaas.api.things.ThingKind;

/**
 * One kind of thing service an application needs; a thing matches when every given criterion holds.
 *
 * @param type        the thing type, e.g. {@code temperature}
 * @param unit        the SenML unit, e.g. {@code Cel}; empty for any
 * @param location    the thing's location; empty for any
 * @param kind        sensor (the default) or actuator
 * @param minRate     the minimum number of measurements a minute the app needs; empty when it does not matter
 * @param maxAge      how old the thing's last value may be at most; empty when it does not matter
 * @param exclusive   whether the thing must serve this app alone (otherwise it is shared with other apps)
 */
public record ThingNeed(String type, Optional<String> unit, Optional<String> location, ThingKind kind,
                        OptionalDouble minRate, Optional<Duration> maxAge, boolean exclusive) {
}
