package org.betaas.api.things;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which things a subscriber wants.
 *
 * @param idPattern a regular expression the thing id must match in full; {@code .*} for every thing
 * @param kind      only sensors or only actuators; empty for both
 * @param protocol  only things of this adaptor ({@code mqtt}, {@code ble}); empty for all
 */
public record ThingFilter(String idPattern, Optional<ThingKind> kind, Optional<String> protocol) {

    public ThingFilter {
        Pattern.compile(idPattern);
    }

    /** Every thing. */
    public static ThingFilter all() {
        return new ThingFilter(".*", Optional.empty(), Optional.empty());
    }

    /** One thing, by id. */
    public static ThingFilter thing(String thingId) {
        return new ThingFilter(Pattern.quote(thingId), Optional.empty(), Optional.empty());
    }

    public boolean matches(Thing thing) {
        return thing.id().matches(idPattern)
                && kind.map(k -> k == thing.kind()).orElse(true)
                && protocol.map(p -> p.equals(thing.protocol())).orElse(true);
    }
}
