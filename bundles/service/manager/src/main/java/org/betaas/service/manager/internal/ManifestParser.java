package org.betaas.service.manager.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

import org.betaas.api.apps.AppException;
import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.ThingNeed;
import org.betaas.api.things.ThingKind;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an application manifest:
 * <pre>
 * {
 *   "name": "greenhouse",                 // required: 1-64 of a-z 0-9 . _ -, starting with a letter or digit
 *   "owner": "alice",                     // required
 *   "things": [                           // required, at least one
 *     {"type": "temperature", "unit": "Cel", "location": "greenhouse-1", "kind": "sensor",
 *      "minRatePerMinute": 10, "maxAgeSeconds": 60, "exclusive": false}
 *   ],
 *   "webapp": {"war": "/srv/apps/greenhouse.war", "template": "service"}   // optional
 * }
 * </pre>
 * Every refusal names the field and says what to do. The war itself (a readable local path or file: URL, a zip
 * with WEB-INF/) is checked at install by {@link WarFile}, not here: a stored manifest stays readable after the
 * file it named is gone.
 */
public final class ManifestParser {

    /** The template a web application runs in unless the manifest names one. */
    public static final String DEFAULT_TEMPLATE = "service";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> TOP = Set.of("name", "owner", "things", "webapp");
    private static final Set<String> NEED = Set.of("type", "unit", "location", "kind", "minRatePerMinute",
            "maxAgeSeconds", "exclusive");
    private static final Set<String> WEBAPP = Set.of("war", "template");
    private static final int MAX_LENGTH = 64 * 1024;

    private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public AppManifest parse(String manifestJson) throws AppException {
        if (manifestJson == null || manifestJson.isBlank()) {
            throw invalid("the manifest is empty: give a JSON object with name, owner and things");
        }
        if (manifestJson.length() > MAX_LENGTH) {
            throw invalid("the manifest has " + manifestJson.length() + " characters: keep it under " + MAX_LENGTH);
        }
        JsonNode root;
        try {
            root = json.readTree(manifestJson);
        } catch (JsonProcessingException e) {
            throw invalid("the manifest is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("the manifest cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("the manifest must be a JSON object with name, owner and things");
        }
        unknownFields(root, TOP, "");
        String name = text(root, "name", "", true);
        if (!NAME.matcher(name).matches()) {
            throw invalid("field 'name' is '" + abbreviate(name) + "': use 1-64 characters of a-z, 0-9, '.', '_', '-'"
                    + " starting with a letter or digit");
        }
        String owner = text(root, "owner", "", true);
        JsonNode things = root.get("things");
        if (things == null || things.isNull()) {
            throw invalid("field 'things' is missing: list the thing services the app needs, e.g."
                    + " [{\"type\": \"temperature\"}]");
        }
        if (!things.isArray() || things.isEmpty()) {
            throw invalid("field 'things' must be a non-empty array of thing services, e.g."
                    + " [{\"type\": \"temperature\"}]");
        }
        List<ThingNeed> needs = new ArrayList<>();
        for (int i = 0; i < things.size(); i++) {
            needs.add(need(things.get(i), "things[" + i + "]."));
        }
        Optional<AppManifest.WebApp> webApp = Optional.empty();
        JsonNode web = root.get("webapp");
        if (web != null && !web.isNull()) {
            if (!web.isObject()) {
                throw invalid("field 'webapp' must be an object such as {\"war\": \"/path/app.war\"}");
            }
            unknownFields(web, WEBAPP, "webapp.");
            String war = text(web, "war", "webapp.", true);
            String template = text(web, "template", "webapp.", false);
            webApp = Optional.of(new AppManifest.WebApp(war, template.isEmpty() ? DEFAULT_TEMPLATE : template));
        }
        return new AppManifest(name, owner, needs, webApp);
    }

    private static ThingNeed need(JsonNode node, String prefix) throws AppException {
        String field = prefix.substring(0, prefix.length() - 1);
        if (!node.isObject()) {
            throw invalid("field '" + field + "' must be an object such as {\"type\": \"temperature\"}");
        }
        unknownFields(node, NEED, prefix);
        String type = text(node, "type", prefix, true);
        String unit = text(node, "unit", prefix, false);
        String location = text(node, "location", prefix, false);
        String kindText = text(node, "kind", prefix, false).toUpperCase(Locale.ROOT);
        ThingKind kind;
        if (kindText.isEmpty()) {
            kind = ThingKind.SENSOR;
        } else {
            try {
                kind = ThingKind.valueOf(kindText);
            } catch (IllegalArgumentException e) {
                throw invalid("field '" + prefix + "kind' is '" + abbreviate(text(node, "kind", prefix, false))
                        + "': use sensor or actuator");
            }
        }
        OptionalDouble minRate = OptionalDouble.empty();
        JsonNode rate = node.get("minRatePerMinute");
        if (rate != null && !rate.isNull()) {
            if (!rate.isNumber() || !(rate.asDouble() > 0) || Double.isInfinite(rate.asDouble())) {
                throw invalid("field '" + prefix + "minRatePerMinute' is " + rate + ": give a positive number of"
                        + " measurements per minute, or leave it out");
            }
            minRate = OptionalDouble.of(rate.asDouble());
        }
        Optional<Duration> maxAge = Optional.empty();
        JsonNode age = node.get("maxAgeSeconds");
        if (age != null && !age.isNull()) {
            if (!age.isIntegralNumber() || age.asLong() <= 0) {
                throw invalid("field '" + prefix + "maxAgeSeconds' is " + age + ": give a positive whole number of"
                        + " seconds, or leave it out");
            }
            maxAge = Optional.of(Duration.ofSeconds(age.asLong()));
        }
        boolean exclusive = false;
        JsonNode excl = node.get("exclusive");
        if (excl != null && !excl.isNull()) {
            if (!excl.isBoolean()) {
                throw invalid("field '" + prefix + "exclusive' is " + excl + ": use true or false");
            }
            exclusive = excl.asBoolean();
        }
        return new ThingNeed(type, optional(unit), optional(location), kind, minRate, maxAge, exclusive);
    }

    private static Optional<String> optional(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String text(JsonNode node, String name, String prefix, boolean required) throws AppException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid("field '" + prefix + name + "' is missing: add it");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw invalid("field '" + prefix + name + "' is " + abbreviate(v.toString()) + ": give a string");
        }
        String s = v.asText().trim();
        if (required && s.isEmpty()) {
            throw invalid("field '" + prefix + name + "' is empty: give a value");
        }
        if (s.length() > 512) {
            throw invalid("field '" + prefix + name + "' is " + s.length() + " characters long: keep it under 512");
        }
        return s;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix) throws AppException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw invalid("unknown field '" + prefix + abbreviate(f) + "': remove it (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static AppException invalid(String message) {
        return new AppException(AppException.Reason.INVALID, "Invalid manifest: " + message);
    }
}
