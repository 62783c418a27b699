package org.betaas.adaptation.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.betaas.adaptation.mqtt.internal.senml.SenmlDecoder;
import org.betaas.api.things.AdaptorStats;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;
import org.junit.Test;

public class SenmlIngestTest {

    /** Records what adaptors report. */
    static final class FakeRegistry implements ThingRegistry {
        final List<Thing> reported = new ArrayList<>();
        final List<Measurement> measurements = new ArrayList<>();
        RuntimeException failure;

        @Override
        public List<Thing> things() {
            return reported;
        }

        @Override
        public Optional<Thing> find(String thingId) {
            return reported.stream().filter(t -> t.id().equals(thingId)).findFirst();
        }

        @Override
        public List<Measurement> lastValues(String thingId) {
            return measurements;
        }

        @Override
        public void report(Thing thing, List<Measurement> ms) {
            if (failure != null) {
                throw failure;
            }
            reported.add(thing);
            measurements.addAll(ms);
        }

        @Override
        public void lost(String thingId, String reason) {
        }
    }

    private final FakeRegistry registry = new FakeRegistry();
    private final AdaptorCounters counters = new AdaptorCounters();
    private final Instant now = Instant.parse("2024-05-01T12:00:00Z");
    private final SenmlIngest ingest = new SenmlIngest(registry, new SenmlDecoder(4096),
            new TopicFilters(List.of("betaas/things/+/senml", "betaas/things/+/senml-cbor", "raw/senml")), "gw-1",
            Pattern.compile(".*switch.*"), Clock.fixed(now, ZoneOffset.UTC), counters,
            new RejectLog(1_000_000_000L, System::nanoTime));

    private Optional<String> send(String topic, String json) {
        return ingest.accept(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void thingIdFromTopic() {
        assertEquals(Optional.of("kitchen-1"), send("betaas/things/kitchen-1/senml",
                "[{\"bn\":\"urn:dev:x:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5},{\"n\":\"hum\",\"u\":\"%RH\",\"v\":40}]"));
        Thing t = registry.reported.get(0);
        assertEquals("temperature", t.type());
        assertEquals("Cel", t.unit());
        assertEquals("mqtt", t.protocol());
        assertEquals("gw-1", t.gatewayId());
        assertEquals(ThingKind.SENSOR, t.kind());
        assertEquals(now, t.lastSeen());
        assertEquals(2, registry.measurements.size());
        assertEquals("temp", registry.measurements.get(0).name());
        assertEquals("kitchen-1", registry.measurements.get(0).thingId());
    }

    @Test
    public void senmlCborOnTheSiblingTopic() {
        // [{"n":"temp","u":"Cel","v":21.5}] in SenML CBOR: 81 a3 00 64 "temp" 01 63 "Cel" 02 f9 4d60 (half 21.5)
        byte[] cbor = java.util.HexFormat.of().parseHex("81a3006474656d70016343656c02f94d60");
        assertEquals(Optional.of("kitchen-2"), ingest.accept("betaas/things/kitchen-2/senml-cbor", cbor));
        assertEquals(21.5, (Double) registry.measurements.get(0).value(), 0);
        assertEquals("Cel", registry.reported.get(0).unit());
        // the same bytes on the JSON topic are not JSON
        assertEquals(Optional.empty(), ingest.accept("betaas/things/kitchen-2/senml", cbor));
        assertEquals(Long.valueOf(1), counters.snapshot("mqtt", "x").rejected().get(SenmlDecoder.NOT_JSON));
        assertTrue(SenmlIngest.cbor("betaas/things/a/senml-cbor"));
        assertFalse(SenmlIngest.cbor("betaas/things/a/senml"));
    }

    @Test
    public void thingIdFromBaseNameWhenTheTopicHasNone() {
        assertEquals(Optional.of("urn:dev:ow:10e2073a01080063"), send("raw/senml",
                "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1}]"));
        assertEquals(Optional.of("lamp-switch"), send("raw/senml", "[{\"bn\":\"lamp-switch\",\"vb\":true}]"));
        assertEquals(ThingKind.ACTUATOR, registry.reported.get(1).kind());
        assertEquals(Optional.empty(), send("raw/senml", "[{\"n\":\"temp\",\"v\":1}]"));
        AdaptorStats s = counters.snapshot("mqtt", "x");
        assertEquals(Long.valueOf(1), s.rejected().get(SenmlIngest.NO_THING_ID));
    }

    @Test
    public void sumBecomesItsOwnMeasurement() {
        send("betaas/things/meter/senml", "[{\"n\":\"energy\",\"u\":\"Wh\",\"v\":5,\"s\":100}]");
        assertEquals(2, registry.measurements.size());
        assertEquals("energy#sum", registry.measurements.get(1).name());
    }

    @Test
    public void countsAndNeverThrows() {
        send("betaas/things/a/senml", "[{\"n\":\"t\",\"v\":1}]");
        send("betaas/things/a/senml", "garbage");
        send("betaas/things/a/senml", "[]");
        send("betaas/things/bad id/senml", "[{\"n\":\"t\",\"v\":1}]");
        registry.failure = new IllegalStateException("database down");
        send("betaas/things/a/senml", "[{\"n\":\"t\",\"v\":1}]");
        AdaptorStats s = counters.snapshot("mqtt", "connected");
        assertEquals(5, s.received());
        assertEquals(1, s.accepted());
        assertEquals(4, s.rejectedTotal());
        assertEquals(Long.valueOf(1), s.rejected().get("not-json"));
        assertEquals(Long.valueOf(1), s.rejected().get("empty-pack"));
        assertEquals(Long.valueOf(1), s.rejected().get(SenmlIngest.BAD_THING_ID));
        assertEquals(Long.valueOf(1), s.rejected().get(SenmlIngest.INTERNAL));
    }

    @Test
    public void commandsAreSenml() {
        assertEquals("[{\"bn\":\"fan\",\"vb\":true}]", new String(SenmlIngest.command("fan", "true"),
                StandardCharsets.UTF_8));
        assertEquals("[{\"bn\":\"fan\",\"v\":-2.5}]", new String(SenmlIngest.command("fan", "-2.5"),
                StandardCharsets.UTF_8));
        String s = new String(SenmlIngest.command("fan", "say \"hi\""), StandardCharsets.UTF_8);
        assertEquals("[{\"bn\":\"fan\",\"vs\":\"say \\\"hi\\\"\"}]", s);
        assertTrue(new SenmlDecoder(100).decode(s.getBytes(StandardCharsets.UTF_8), Instant.now())
                instanceof org.betaas.adaptation.mqtt.internal.senml.SenmlResult.Decoded);
    }
}
