package org.betaas.adaptation.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.betaas.adaptation.mqtt.internal.senml.SenmlDecoder;
import org.betaas.adaptation.mqtt.internal.senml.SenmlRecord;
import org.betaas.adaptation.mqtt.internal.senml.SenmlResult;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;

/**
 * Turns one MQTT message into a thing report: finds the thing id (topic level or SenML base name), decodes
 * the SenML, and reports thing and measurements to the registry. Counts everything; never throws.
 */
final class SenmlIngest {

    static final String PROTOCOL = "mqtt";
    static final String BAD_THING_ID = "bad-thing-id";
    static final String NO_THING_ID = "no-thing-id";
    static final String INTERNAL = "internal-error";

    /** Thing ids appear in topics and file names: the SenML name alphabet, no '/'. */
    private static final Pattern THING_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,254}");
    private static final Map<String, String> TYPE_BY_UNIT = Map.ofEntries(
            Map.entry("Cel", "temperature"), Map.entry("K", "temperature"), Map.entry("%RH", "humidity"),
            Map.entry("Pa", "pressure"), Map.entry("hPa", "pressure"), Map.entry("lx", "illuminance"),
            Map.entry("V", "voltage"), Map.entry("A", "current"), Map.entry("W", "power"),
            Map.entry("Wh", "energy"), Map.entry("J", "energy"), Map.entry("%EL", "battery"),
            Map.entry("m", "distance"), Map.entry("dBm", "signal"), Map.entry("ppm", "concentration"));

    private final ThingRegistry registry;
    private final SenmlDecoder decoder;
    private final TopicFilters topics;
    private final String gatewayId;
    private final Pattern actuatorIds;
    private final Clock clock;
    private final AdaptorCounters counters;
    private final RejectLog rejectLog;

    SenmlIngest(ThingRegistry registry, SenmlDecoder decoder, TopicFilters topics, String gatewayId,
                Pattern actuatorIds, Clock clock, AdaptorCounters counters, RejectLog rejectLog) {
        this.registry = registry;
        this.decoder = decoder;
        this.topics = topics;
        this.gatewayId = gatewayId;
        this.actuatorIds = actuatorIds;
        this.clock = clock;
        this.counters = counters;
        this.rejectLog = rejectLog;
    }

    /** SenML CBOR arrives on topics whose last level is {@code senml-cbor} (JSON everywhere else). */
    static boolean cbor(String topic) {
        return topic.endsWith("/senml-cbor") || topic.equals("senml-cbor");
    }

    /** @return the thing id reported, or empty when the message was rejected */
    Optional<String> accept(String topic, byte[] payload) {
        counters.received.increment();
        try {
            Instant now = clock.instant();
            SenmlResult result = cbor(topic) ? decoder.decodeCbor(payload, now) : decoder.decode(payload, now);
            if (result instanceof SenmlResult.Rejected r) {
                return reject(topic, r.reason(), r.detail());
            }
            List<SenmlRecord> records = ((SenmlResult.Decoded) result).records();
            Optional<String> fromTopic = topics.thingId(topic);
            String id = fromTopic.orElseGet(() -> trimSeparators(records.get(0).baseName()));
            if (id.isEmpty()) {
                return reject(topic, NO_THING_ID, "the topic has no thing level and the SenML has no base name");
            }
            if (!THING_ID.matcher(id).matches()) {
                return reject(topic, BAD_THING_ID, "'" + abbreviate(id) + "' is not a valid thing id");
            }
            List<Measurement> measurements = new ArrayList<>(records.size());
            for (SenmlRecord r : records) {
                r.value().ifPresent(v -> measurements.add(new Measurement(id, r.name(), r.time(), r.unit(), v)));
                if (r.sum().isPresent()) {
                    // '#' cannot occur in a SenML name: the sum never collides with a value's name
                    measurements.add(new Measurement(id, r.name() + "#sum", r.time(), r.unit(),
                            r.sum().getAsDouble()));
                }
            }
            SenmlRecord first = records.get(0);
            String unit = first.unit();
            String type = TYPE_BY_UNIT.getOrDefault(unit, first.name().isEmpty() ? "value" : first.name());
            ThingKind kind = actuatorIds.matcher(id).matches() ? ThingKind.ACTUATOR : ThingKind.SENSOR;
            Thing thing = new Thing(id, kind, type, unit, gatewayId, PROTOCOL, now, now, "",
                    Map.of("mqtt.topic", topic));
            registry.report(thing, measurements);
            counters.accepted.increment();
            counters.measurements.add(measurements.size());
            return Optional.of(id);
        } catch (RuntimeException e) {
            // never let anything escape into the MQTT client's thread: it would drop the connection
            return reject(topic, INTERNAL, e.toString());
        }
    }

    private Optional<String> reject(String topic, String reason, String detail) {
        counters.reject(reason);
        rejectLog.rejected(topic, reason, detail);
        return Optional.empty();
    }

    private static String trimSeparators(String baseName) {
        int end = baseName.length();
        while (end > 0 && ":/._-".indexOf(baseName.charAt(end - 1)) >= 0) {
            end--;
        }
        return baseName.substring(0, end);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** The SenML pack sent to an actuator: one record, typed from the command text. */
    static byte[] command(String thingId, String value) {
        String v = value.trim();
        String field;
        if (v.equals("true") || v.equals("false")) {
            field = "\"vb\":" + v;
        } else if (v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            field = "\"v\":" + v;
        } else {
            field = "\"vs\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(v)) + "\"";
        }
        return ("[{\"bn\":\"" + thingId + "\"," + field + "}]").getBytes(StandardCharsets.UTF_8);
    }
}
