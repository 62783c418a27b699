package org.betaas.adaptation.mqtt.internal.senml;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.Test;

/**
 * SenML CBOR (RFC 8428 section 6): the RFC's JSON examples encoded by hand, byte by byte, with the labels of its
 * table 4 (bn -2 = 0x21, n 0 = 0x00, u 1 = 0x01, v 2 = 0x02, vs 3, vb 4, s 5, t 6, vd 8, bt -3 = 0x22).
 */
public class SenmlCborTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final SenmlDecoder decoder = new SenmlDecoder(65536);

    /** "urn:dev:ow:10e2073a01080063" (27 bytes). */
    private static final String DEVICE = "75726e3a6465763a6f773a 31306532303733613031303830303633";

    private List<SenmlRecord> ok(String hex) {
        SenmlResult r = decoder.decodeCbor(HexFormat.of().parseHex(hex.replace(" ", "")), NOW);
        if (r instanceof SenmlResult.Rejected rejected) {
            fail("rejected " + hex + ": " + rejected);
        }
        return ((SenmlResult.Decoded) r).records();
    }

    private String rejected(String hex) {
        SenmlResult r = decoder.decodeCbor(HexFormat.of().parseHex(hex.replace(" ", "")), NOW);
        assertTrue("accepted " + hex, r instanceof SenmlResult.Rejected);
        return ((SenmlResult.Rejected) r).reason();
    }

    @Test
    public void rfcSingleDatapoint() {
        // RFC 8428 section 5.1.1: [{"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}]
        // 81 array(1), a3 map(3), 00 "n", 78 1b text(27), 01 "u", 63 text(3) "Cel", 02 "v",
        // fb double 23.1 = 0x403719999999999a
        List<SenmlRecord> r = ok("81 a3 00 78 1b " + DEVICE + " 01 63 43656c 02 fb 403719999999999a");
        assertEquals(1, r.size());
        assertEquals("urn:dev:ow:10e2073a01080063", r.get(0).fullName());
        assertEquals("Cel", r.get(0).unit());
        assertEquals(23.1, (Double) r.get(0).value().orElseThrow(), 0);
        assertEquals(NOW, r.get(0).time());
    }

    @Test
    public void rfcMultipleDatapointsWithBaseName() {
        // RFC 8428 section 5.1.2: [{"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
        //                          {"n":"current","u":"A","v":1.2}]
        // 82 array(2); a4 map(4), 21 = -2 "bn", 78 1c text(28) ending in ':' (0x3a); 00 67 "voltage";
        // 01 61 "V"; 02 fb 120.1 = 0x405e066666666666; a3 map(3) 00 67 "current" 01 61 "A" 02 fb 1.2
        List<SenmlRecord> r = ok("82 a4 21 78 1c " + DEVICE + " 3a 00 67 766f6c74616765 01 61 56"
                + " 02 fb 405e066666666666 a3 00 67 63757272656e74 01 61 41 02 fb 3ff3333333333333");
        assertEquals(2, r.size());
        assertEquals("urn:dev:ow:10e2073a01080063:voltage", r.get(0).fullName());
        assertEquals("V", r.get(0).unit());
        assertEquals(120.1, (Double) r.get(0).value().orElseThrow(), 0);
        assertEquals("urn:dev:ow:10e2073a01080063:current", r.get(1).fullName());
        assertEquals("A", r.get(1).unit());
        assertEquals(1.2, (Double) r.get(1).value().orElseThrow(), 0);
    }

    @Test
    public void integerHalfFloatBooleanStringDataAndTimes() {
        // [{"bn":"d1:","bt":1700000000,"n":"a","v":100},   21 63 "d1:", 22 1a 6553f100 (uint32 1700000000)
        //  {"n":"b","v":-100,"t":-5},                      02 38 63 = -100; 06 24 = -5
        //  {"n":"c","v":1.0},                              f9 3c00 half float 1.0
        //  {"n":"d","vb":true}, {"n":"e","vs":"on"},       04 f5; 03 62 "on"
        //  {"n":"f","vd":h'010203'}]                       08 43 010203 (byte string) → base64url "AQID"
        List<SenmlRecord> r = ok("86"
                + " a4 21 63 64313a 22 1a 6553f100 00 61 61 02 18 64"
                + " a3 00 61 62 02 38 63 06 24"
                + " a2 00 61 63 02 f9 3c00"
                + " a2 00 61 64 04 f5"
                + " a2 00 61 65 03 62 6f6e"
                + " a2 00 61 66 08 43 010203");
        assertEquals(6, r.size());
        assertEquals("d1:a", r.get(0).fullName());
        assertEquals(100.0, (Double) r.get(0).value().orElseThrow(), 0);
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), r.get(0).time());
        assertEquals(-100.0, (Double) r.get(1).value().orElseThrow(), 0);
        assertEquals(Instant.ofEpochSecond(1_700_000_000L - 5), r.get(1).time());
        assertEquals(1.0, (Double) r.get(2).value().orElseThrow(), 0);
        assertEquals(Boolean.TRUE, r.get(3).value().orElseThrow());
        assertEquals("on", r.get(4).value().orElseThrow());
        assertEquals(new SenmlRecord.DataValue("AQID"), r.get(5).value().orElseThrow());
    }

    @Test
    public void malformedCborIsRejectedWithAReason() {
        assertEquals(SenmlDecoder.NOT_CBOR, rejected(""));
        assertEquals(SenmlDecoder.NOT_CBOR, rejected("81 a3 00 78 1b 7572")); // truncated text
        assertEquals(SenmlDecoder.NOT_CBOR, rejected("81 a2 00 61 61 02 01 01")); // more data after the pack
        assertEquals(SenmlDecoder.NOT_ARRAY, rejected("a1 02 01")); // a record, not a pack
        assertEquals(SenmlDecoder.EMPTY_PACK, rejected("80"));
        assertEquals(SenmlDecoder.NO_VALUE, rejected("81 a1 00 61 61")); // [{"n":"a"}]
        assertEquals(SenmlDecoder.MULTIPLE_VALUES, rejected("81 a3 00 61 61 02 01 04 f5"));
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("81 a2 00 61 61 08 62 6869")); // vd as text
        assertEquals(SenmlDecoder.BAD_FIELD_TYPE, rejected("81 a2 00 61 61 02 62 6869")); // v as text
        assertEquals(SenmlDecoder.BAD_NAME, rejected("81 a2 00 62 2061 02 01")); // " a"
        assertEquals(SenmlDecoder.BAD_VERSION, rejected("81 a3 20 18 63 00 61 61 02 01")); // bver 99
    }

    @Test
    public void aJsonPayloadOnTheCborTopicIsNotCbor() {
        SenmlResult r = decoder.decodeCbor("[{\"n\":\"a\",\"v\":1}]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                NOW);
        assertTrue(String.valueOf(r), r instanceof SenmlResult.Rejected);
    }
}
