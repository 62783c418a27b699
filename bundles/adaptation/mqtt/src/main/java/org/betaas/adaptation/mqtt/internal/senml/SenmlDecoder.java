package org.betaas.adaptation.mqtt.internal.senml;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

/**
 * Decodes and validates SenML packs in JSON and in CBOR (RFC 8428 sections 4 and 6). Never throws on bad input: every problem becomes a
 * {@link SenmlResult.Rejected} with one of the reason constants below, so adaptors can count them per kind.
 * Thread-safe.
 */
public final class SenmlDecoder {

    public static final String TOO_LARGE = "too-large";
    public static final String NOT_JSON = "not-json";
    public static final String NOT_ARRAY = "not-array";
    public static final String EMPTY_PACK = "empty-pack";
    public static final String NOT_OBJECT = "record-not-object";
    public static final String BAD_FIELD_TYPE = "bad-field-type";
    public static final String BAD_NAME = "bad-name";
    public static final String NO_VALUE = "no-value";
    public static final String MULTIPLE_VALUES = "multiple-values";
    public static final String BAD_NUMBER = "bad-number";
    public static final String BAD_VERSION = "unsupported-version";
    public static final String MUST_UNDERSTAND = "unknown-mandatory-field";
    public static final String BAD_DATA = "bad-data-value";
    public static final String NOT_CBOR = "not-cbor";

    /** Versions up to this one are understood (RFC 8428 is 10). */
    static final int VERSION = 10;
    /** RFC 8428 section 4.5.3: times below 2^28 are relative to now. */
    static final double RELATIVE_LIMIT = 268_435_456d;

    /** RFC 8428 section 4.5.1. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:./_-]*");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*={0,2}");
    private static final Map<String, Boolean> KNOWN = Map.ofEntries(
            Map.entry("bn", true), Map.entry("bt", true), Map.entry("bu", true), Map.entry("bv", true),
            Map.entry("bs", true), Map.entry("bver", true), Map.entry("n", true), Map.entry("u", true),
            Map.entry("v", true), Map.entry("vs", true), Map.entry("vb", true), Map.entry("vd", true),
            Map.entry("s", true), Map.entry("t", true), Map.entry("ut", true));

    /** RFC 8428 section 6, table 4: the integer labels of the CBOR representation. */
    private static final Map<Integer, String> CBOR_LABELS = Map.ofEntries(
            Map.entry(-1, "bver"), Map.entry(-2, "bn"), Map.entry(-3, "bt"), Map.entry(-4, "bu"),
            Map.entry(-5, "bv"), Map.entry(-6, "bs"), Map.entry(0, "n"), Map.entry(1, "u"), Map.entry(2, "v"),
            Map.entry(3, "vs"), Map.entry(4, "vb"), Map.entry(5, "s"), Map.entry(6, "t"), Map.entry(7, "ut"),
            Map.entry(8, "vd"));

    private final ObjectMapper mapper;
    private final ObjectMapper cbor;
    private final int maxBytes;

    /** @param maxBytes largest payload accepted */
    public SenmlDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
        this.cbor = CBORMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        cbor.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    /**
     * Decodes one pack in SenML CBOR (content format {@code application/senml+cbor}): integer labels become the
     * JSON names, {@code vd} is a byte string; then the same validation as JSON.
     */
    public SenmlResult decodeCbor(byte[] payload, Instant now) {
        try {
            if (payload.length > maxBytes) {
                return rejected(TOO_LARGE, payload.length + " bytes, more than the " + maxBytes + " allowed");
            }
            JsonNode pack;
            try (JsonParser p = cbor.createParser(payload)) {
                pack = cbor.readTree(p);
                if (pack != null && p.nextToken() != null) {
                    return rejected(NOT_CBOR, "data after the pack");
                }
            } catch (IOException e) {
                return rejected(NOT_CBOR, message(e));
            }
            if (pack == null || pack.isMissingNode()) {
                return rejected(NOT_CBOR, "empty payload");
            }
            if (pack.isArray()) {
                ArrayNode relabelled = cbor.createArrayNode();
                for (JsonNode r : pack) {
                    relabelled.add(r.isObject() ? relabel((ObjectNode) r) : r);
                }
                pack = relabelled;
            }
            return decodePack(pack, now);
        } catch (RuntimeException e) {
            return new SenmlResult.Rejected(NOT_CBOR, "unexpected " + e);
        }
    }

    private static ObjectNode relabel(ObjectNode record) {
        ObjectNode named = record.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            try {
                name = CBOR_LABELS.getOrDefault(Integer.parseInt(name), name);
            } catch (NumberFormatException e) {
                // a text label: kept as it is
            }
            JsonNode value = field.getValue();
            if (name.equals("vd") && value.isBinary()) {
                // the JSON form of vd is base64url without padding (RFC 8428 section 4.3)
                value = TextNode.valueOf(Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ((BinaryNode) value).binaryValue()));
            } else if (name.equals("vd") && value.isTextual()) {
                value = NullNode.getInstance(); // a byte string in CBOR, never text
            }
            named.set(name, value);
        }
        return named;
    }

    private static String message(IOException e) {
        String message = e instanceof com.fasterxml.jackson.core.JacksonException j
                ? String.valueOf(j.getOriginalMessage()) : String.valueOf(e.getMessage());
        return message.length() > 120 ? message.substring(0, 120) : message;
    }

    /** Decodes one pack; {@code now} resolves relative and missing times. */
    public SenmlResult decode(byte[] payload, Instant now) {
        try {
            return decodeChecked(payload, now);
        } catch (RuntimeException e) {
            // a decoder bug must not escape into the MQTT client's thread: count it as malformed input
            return new SenmlResult.Rejected(NOT_JSON, "unexpected " + e);
        }
    }

    private SenmlResult decodeChecked(byte[] payload, Instant now) {
        if (payload.length > maxBytes) {
            return rejected(TOO_LARGE, payload.length + " bytes, more than the " + maxBytes + " allowed");
        }
        JsonNode pack;
        try {
            pack = mapper.readTree(payload);
        } catch (IOException e) {
            return rejected(NOT_JSON, message(e));
        }
        if (pack == null || pack.isMissingNode()) {
            return rejected(NOT_JSON, "empty payload");
        }
        return decodePack(pack, now);
    }

    private SenmlResult decodePack(JsonNode pack, Instant now) {
        if (!pack.isArray()) {
            return rejected(NOT_ARRAY, "a SenML pack is a JSON array of records, got " + pack.getNodeType());
        }
        if (pack.isEmpty()) {
            return rejected(EMPTY_PACK, "no record");
        }
        String bn = "";
        double bt = 0;
        String bu = "";
        double bv = 0;
        double bs = 0;
        List<SenmlRecord> records = new ArrayList<>(pack.size());
        for (int i = 0; i < pack.size(); i++) {
            JsonNode r = pack.get(i);
            String at = "record " + i;
            if (!r.isObject()) {
                return rejected(NOT_OBJECT, at + " is " + r.getNodeType());
            }
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!KNOWN.containsKey(field) && field.endsWith("_")) {
                    return rejected(MUST_UNDERSTAND, at + " has field '" + field + "' that must be understood");
                }
            }
            if (r.has("bver")) {
                JsonNode ver = r.get("bver");
                if (!ver.isIntegralNumber()) {
                    return rejected(BAD_FIELD_TYPE, at + ": bver must be an integer");
                }
                if (ver.asInt() > VERSION) {
                    return rejected(BAD_VERSION, at + ": bver " + ver.asInt() + " > " + VERSION);
                }
            }
            try {
                bn = text(r, "bn", bn, at);
                bt = number(r, "bt", bt, at);
                bu = text(r, "bu", bu, at);
                bv = number(r, "bv", bv, at);
                bs = number(r, "bs", bs, at);
                String n = text(r, "n", "", at);
                String unit = text(r, "u", bu, at);
                double t = number(r, "t", 0, at);
                number(r, "ut", 0, at);
                String full = bn + n;
                if (!NAME.matcher(full).matches()) {
                    return rejected(BAD_NAME, at + ": name '" + abbreviate(full) + "' must start with a letter or"
                            + " digit and use only letters, digits, '-', ':', '.', '/', '_'");
                }
                int values = 0;
                Object value = null;
                if (r.has("v")) {
                    values++;
                    value = bv + number(r, "v", 0, at);
                }
                if (r.has("vs")) {
                    values++;
                    value = text(r, "vs", "", at);
                }
                if (r.has("vb")) {
                    values++;
                    JsonNode vb = r.get("vb");
                    if (!vb.isBoolean()) {
                        throw new FieldException(BAD_FIELD_TYPE, at + ": vb must be true or false");
                    }
                    value = vb.booleanValue();
                }
                if (r.has("vd")) {
                    values++;
                    String vd = text(r, "vd", "", at);
                    if (!BASE64URL.matcher(vd).matches()) {
                        throw new FieldException(BAD_DATA, at + ": vd must be base64url data");
                    }
                    value = new SenmlRecord.DataValue(vd);
                }
                if (values > 1) {
                    return rejected(MULTIPLE_VALUES, at + " has " + values + " value fields: keep one of v, vs,"
                            + " vb, vd");
                }
                OptionalDouble sum = r.has("s") ? OptionalDouble.of(bs + number(r, "s", 0, at))
                        : OptionalDouble.empty();
                if (values == 0 && sum.isEmpty()) {
                    return rejected(NO_VALUE, at + " (" + abbreviate(full) + ") has no v, vs, vb, vd or s");
                }
                records.add(new SenmlRecord(bn, n, time(bt + t, now), unit, Optional.ofNullable(value), sum));
            } catch (FieldException e) {
                return rejected(e.reason, e.getMessage());
            }
        }
        return new SenmlResult.Decoded(records);
    }

    /** RFC 8428 section 4.5.3: absolute seconds since 1970, or relative to now below 2^28 (0 is now). */
    static Instant time(double seconds, Instant now) {
        double epochSeconds = seconds < RELATIVE_LIMIT ? now.getEpochSecond() + now.getNano() / 1e9 + seconds
                : seconds;
        long whole = (long) Math.floor(epochSeconds);
        long nanos = Math.round((epochSeconds - whole) * 1e9);
        if (seconds < RELATIVE_LIMIT && seconds == Math.rint(seconds)) {
            // keep now's exact nanoseconds for whole relative offsets (no double rounding)
            return now.plusSeconds((long) seconds);
        }
        return Instant.ofEpochSecond(whole, Math.min(nanos, 999_999_999));
    }

    private static String text(JsonNode r, String field, String otherwise, String at) throws FieldException {
        JsonNode n = r.get(field);
        if (n == null) {
            return otherwise;
        }
        if (!n.isTextual()) {
            throw new FieldException(BAD_FIELD_TYPE, at + ": " + field + " must be a string, got " + n.getNodeType());
        }
        return n.textValue();
    }

    private static double number(JsonNode r, String field, double otherwise, String at) throws FieldException {
        JsonNode n = r.get(field);
        if (n == null) {
            return otherwise;
        }
        if (!n.isNumber()) {
            throw new FieldException(BAD_FIELD_TYPE, at + ": " + field + " must be a number, got " + n.getNodeType());
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw new FieldException(BAD_NUMBER, at + ": " + field + " is out of range");
        }
        return d;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static SenmlResult rejected(String reason, String detail) {
        return new SenmlResult.Rejected(reason, detail);
    }

    private static final class FieldException extends Exception {
        private final String reason;

        FieldException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
