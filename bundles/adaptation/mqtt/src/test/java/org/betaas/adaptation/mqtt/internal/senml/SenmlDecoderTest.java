package org.betaas.adaptation.mqtt.internal.senml;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.Test;

public class SenmlDecoderTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final SenmlDecoder decoder = new SenmlDecoder(65536);

    private List<SenmlRecord> ok(String json) {
        SenmlResult r = decoder.decode(json.getBytes(StandardCharsets.UTF_8), NOW);
        if (r instanceof SenmlResult.Rejected rejected) {
            fail("rejected " + json + ": " + rejected);
        }
        return ((SenmlResult.Decoded) r).records();
    }

    private String rejected(String json) {
        SenmlResult r = decoder.decode(json.getBytes(StandardCharsets.UTF_8), NOW);
        assertTrue("accepted " + json, r instanceof SenmlResult.Rejected);
        return ((SenmlResult.Rejected) r).reason();
    }

    @Test
    public void rfcSingleDatapoint() { // RFC 8428 section 5.1.1
        List<SenmlRecord> r = ok("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]");
        assertEquals(1, r.size());
        assertEquals("urn:dev:ow:10e2073a01080063", r.get(0).fullName());
        assertEquals("Cel", r.get(0).unit());
        assertEquals(23.1, (Double) r.get(0).value().orElseThrow(), 0);
        assertEquals(NOW, r.get(0).time());
    }

    @Test
    public void rfcMultipleDatapoints() { // RFC 8428 section 5.1.2
        List<SenmlRecord> r = ok("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                + "{\"n\":\"current\",\"u\":\"A\",\"v\":1.2}]");
        assertEquals("urn:dev:ow:10e2073a01080063:current", r.get(1).fullName());
        assertEquals("current", r.get(1).name());
        assertEquals("A", r.get(1).unit());
    }

    @Test
    public void rfcMultipleMeasurementsWithBaseTimeAndUnit() { // RFC 8428 section 5.1.3
        List<SenmlRecord> r = ok("[{\"bn\":\"urn:dev:ow:10e2073a0108006:\",\"bt\":1.276020076001e+09,"
                + "\"bu\":\"A\",\"bver\":5,\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                + "{\"n\":\"current\",\"t\":-5,\"v\":1.2},{\"n\":\"current\",\"t\":-4,\"v\":1.3},"
                + "{\"n\":\"current\",\"t\":-3,\"v\":1.4},{\"n\":\"current\",\"t\":-2,\"v\":1.5},"
                + "{\"n\":\"current\",\"t\":-1,\"v\":1.6},{\"n\":\"current\",\"v\":1.7}]");
        assertEquals(7, r.size());
        assertEquals("V", r.get(0).unit());
        assertEquals("A", r.get(1).unit()); // base unit
        assertEquals(1276020071L, r.get(1).time().getEpochSecond());
        assertEquals(1276020076L, r.get(6).time().getEpochSecond());
        assertEquals(1_000_000, r.get(6).time().getNano(), 1000); // .001 s
    }

    @Test
    public void rfcMultipleDataTypes() { // RFC 8428 section 5.1.7
        List<SenmlRecord> r = ok("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"bt\":1.320067464e+09,\"n\":\"temperature\","
                + "\"u\":\"Cel\",\"v\":23.1},{\"n\":\"label\",\"vs\":\"Machine Room\"},{\"n\":\"open\",\"vb\":false},"
                + "{\"n\":\"nfc-reader\",\"vd\":\"aGkgCg\"}]");
        assertEquals("Machine Room", r.get(1).value().orElseThrow());
        assertEquals(false, r.get(2).value().orElseThrow());
        assertEquals("aGkgCg", r.get(3).value().orElseThrow().toString());
        assertEquals(Instant.ofEpochSecond(1320067464L), r.get(3).time());
    }

    @Test
    public void rfcCollectionOfResources() { // RFC 8428 section 5.1.8 style: several names, one base time
        List<SenmlRecord> r = ok("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"bt\":1.320078429e+09,"
                + "\"n\":\"temperature\",\"u\":\"Cel\",\"v\":27.2},{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":80}]");
        assertEquals(80.0, r.get(1).value().orElseThrow());
        assertEquals("%RH", r.get(1).unit());
    }

    @Test
    public void sumAndBaseValueAndBaseSum() {
        List<SenmlRecord> r = ok("[{\"bn\":\"meter:\",\"bv\":100,\"bs\":1000,\"n\":\"energy\",\"u\":\"Wh\",\"v\":5,\"s\":7},"
                + "{\"n\":\"total\",\"s\":1}]");
        assertEquals(105.0, r.get(0).value().orElseThrow());
        assertEquals(1007.0, r.get(0).sum().getAsDouble(), 0);
        assertFalse(r.get(1).value().isPresent());
        assertEquals(1001.0, r.get(1).sum().getAsDouble(), 0);
    }

    @Test
    public void relativeTimesAreRelativeToNow() {
        List<SenmlRecord> r = ok("[{\"n\":\"a\",\"v\":1,\"t\":-10},{\"n\":\"a\",\"v\":1,\"t\":0},{\"n\":\"a\",\"v\":1,"
                + "\"t\":268435455},{\"n\":\"a\",\"v\":1,\"t\":268435456},{\"n\":\"a\",\"v\":1,\"t\":-0.5}]");
        assertEquals(NOW.minusSeconds(10), r.get(0).time());
        assertEquals(NOW, r.get(1).time());
        assertEquals(NOW.plusSeconds(268435455), r.get(2).time());
        assertEquals(Instant.ofEpochSecond(268435456), r.get(3).time()); // 2^28: absolute (1978)
        assertEquals(NOW.minusMillis(500), r.get(4).time());
    }

    @Test
    public void baseNameAloneIsAValidName() {
        List<SenmlRecord> r = ok("[{\"bn\":\"sensor-1\",\"v\":3}]");
        assertEquals("sensor-1", r.get(0).fullName());
        assertEquals("", r.get(0).name());
    }

    @Test
    public void rejectsEachKindOfError() {
        assertEquals(SenmlDecoder.NOT_JSON, rejected("not json"));
        assertEquals(SenmlDecoder.NOT_JSON, rejected(""));
        assertEquals(SenmlDecoder.NOT_JSON, rejected("[{\"n\":\"a\",\"v\":1}"));
        assertEquals(SenmlDecoder.NOT_JSON, rejected("[{\"n\":\"a\",\"n\":\"b\",\"v\":1}]")); // duplicate key
        assertEquals(SenmlDecoder.NOT_ARRAY, rejected("{\"n\":\"a\",\"v\":1}"));
        assertEquals(SenmlDecoder.NOT_ARRAY, rejected("42"));
        assertEquals(SenmlDecoder.EMPTY_PACK, rejected("[]"));
        assertEquals(SenmlDecoder.NOT_OBJECT, rejected("[1,2]"));
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("[{\"n\":\"a\",\"v\":\"1\"}]"));
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("[{\"n\":5,\"v\":1}]"));
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("[{\"n\":\"a\",\"vb\":\"true\"}]"));
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("[{\"n\":\"a\",\"v\":1,\"t\":\"now\"}]"));
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("[{\"bn\":\"a\",\"bver\":1.5,\"v\":1}]"));
        assertEquals(SenmlDecoder.BAD_NAME, rejected("[{\"v\":1}]")); // no name at all
        assertEquals(SenmlDecoder.BAD_NAME, rejected("[{\"n\":\"with space\",\"v\":1}]"));
        assertEquals(SenmlDecoder.BAD_NAME, rejected("[{\"n\":\"-starts-badly\",\"v\":1}]"));
        assertEquals(SenmlDecoder.BAD_NAME, rejected("[{\"n\":\"temp#1\",\"v\":1}]"));
        assertEquals(SenmlDecoder.NO_VALUE, rejected("[{\"n\":\"a\"}]"));
        assertEquals(SenmlDecoder.NO_VALUE, rejected("[{\"n\":\"a\",\"u\":\"Cel\",\"bv\":3}]"));
        assertEquals(SenmlDecoder.MULTIPLE_VALUES, rejected("[{\"n\":\"a\",\"v\":1,\"vs\":\"x\"}]"));
        assertEquals(SenmlDecoder.MULTIPLE_VALUES, rejected("[{\"n\":\"a\",\"vb\":true,\"vd\":\"aGk\"}]"));
        assertEquals(SenmlDecoder.BAD_NUMBER, rejected("[{\"n\":\"a\",\"v\":1e999}]"));
        assertEquals(SenmlDecoder.BAD_VERSION, rejected("[{\"bn\":\"a\",\"bver\":11,\"v\":1}]"));
        assertEquals(SenmlDecoder.MUST_UNDERSTAND, rejected("[{\"n\":\"a\",\"v\":1,\"crit_\":1}]"));
        assertEquals(SenmlDecoder.BAD_DATA, rejected("[{\"n\":\"a\",\"vd\":\"not base64!\"}]"));
        assertEquals(SenmlDecoder.TOO_LARGE, new SenmlDecoder(10).decode(new byte[11], NOW) instanceof
                SenmlResult.Rejected r ? r.reason() : "accepted");
    }

    @Test
    public void unknownOptionalFieldsAreIgnored() {
        assertEquals(1, ok("[{\"n\":\"a\",\"v\":1,\"extra\":{\"x\":[1]}}]").size());
    }

    @Test
    public void laterRecordWithBadFieldRejectsTheWholePack() {
        assertEquals(SenmlDecoder.NO_VALUE, rejected("[{\"n\":\"a\",\"v\":1},{\"n\":\"b\"}]"));
    }

    @Test
    public void deepNestingAndGarbageNeverThrow() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            deep.append('[');
        }
        assertEquals(SenmlDecoder.NOT_JSON, rejected(deep.toString()));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            decoder.decode(junk, NOW); // must return, never throw
        }
    }
}
