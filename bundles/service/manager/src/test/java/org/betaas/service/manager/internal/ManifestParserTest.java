package org.betaas.service.manager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;

import org.betaas.api.apps.AppException;
import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.ThingNeed;
import org.betaas.api.things.ThingKind;
import org.junit.Test;

public class ManifestParserTest {

    private final ManifestParser parser = new ManifestParser();

    @Test
    public void readsAFullManifest() throws Exception {
        AppManifest m = parser.parse("""
                {"name": "greenhouse", "owner": "alice",
                 "things": [{"type": "temperature", "unit": "Cel", "location": "gh-1", "minRatePerMinute": 10,
                             "maxAgeSeconds": 60},
                            {"type": "valve", "kind": "actuator", "exclusive": true}],
                 "webapp": {"war": "/opt/apps/gh.war"}}""");
        assertEquals("greenhouse", m.name());
        assertEquals("alice", m.owner());
        ThingNeed t = m.things().get(0);
        assertEquals("temperature", t.type());
        assertEquals("Cel", t.unit().orElseThrow());
        assertEquals("gh-1", t.location().orElseThrow());
        assertEquals(ThingKind.SENSOR, t.kind());
        assertEquals(10.0, t.minRate().getAsDouble(), 0);
        assertEquals(Duration.ofSeconds(60), t.maxAge().orElseThrow());
        assertFalse(t.exclusive());
        ThingNeed v = m.things().get(1);
        assertEquals(ThingKind.ACTUATOR, v.kind());
        assertTrue(v.exclusive());
        assertTrue(v.unit().isEmpty());
        assertEquals("/opt/apps/gh.war", m.webApp().orElseThrow().war());
        assertEquals("service", m.webApp().orElseThrow().template());
    }

    @Test
    public void aNamedTemplateIsKept() throws Exception {
        AppManifest m = parser.parse("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\"}],"
                + "\"webapp\":{\"war\":\"http://x/a.war\",\"template\":\"service-test-x86_64\"}}");
        assertEquals("service-test-x86_64", m.webApp().orElseThrow().template());
    }

    @Test
    public void refusalsNameTheFieldAndWhatToDo() {
        refused("", "empty");
        refused("[1]", "JSON object");
        refused("{\"name\": ", "not valid JSON (line 1");
        refused("{\"owner\":\"o\",\"things\":[{\"type\":\"t\"}]}", "'name' is missing");
        refused("{\"name\":\"\",\"owner\":\"o\",\"things\":[{\"type\":\"t\"}]}", "'name' is empty");
        refused("{\"name\":\"Bad Name\",\"owner\":\"o\",\"things\":[{\"type\":\"t\"}]}", "'name' is 'Bad Name'");
        refused("{\"name\":\"a\",\"things\":[{\"type\":\"t\"}]}", "'owner' is missing");
        refused("{\"name\":\"a\",\"owner\":\"o\"}", "'things' is missing");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[]}", "'things' must be a non-empty array");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"colour\":1,\"things\":[{\"type\":\"t\"}]}",
                "unknown field 'colour': remove it");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\",\"rate\":3}]}",
                "unknown field 'things[0].rate'");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"unit\":\"Cel\"}]}", "'things[0].type' is missing");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\",\"minRatePerMinute\":-1}]}",
                "'things[0].minRatePerMinute' is -1: give a positive number");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\",\"minRatePerMinute\":\"fast\"}]}",
                "'things[0].minRatePerMinute'");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\",\"maxAgeSeconds\":1.5}]}",
                "'things[0].maxAgeSeconds' is 1.5: give a positive whole number");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\",\"kind\":\"robot\"}]}",
                "'things[0].kind' is 'robot': use sensor or actuator");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\",\"exclusive\":\"yes\"}]}",
                "'things[0].exclusive' is \"yes\": use true or false");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\"}],\"webapp\":{}}",
                "'webapp.war' is missing");
        refused("{\"name\":\"a\",\"owner\":\"o\",\"things\":[{\"type\":\"t\"}],\"webapp\":{\"war\":\"w\",\"x\":1}}",
                "unknown field 'webapp.x'");
        refused("{\"name\":\"a\",\"name\":\"b\",\"owner\":\"o\",\"things\":[{\"type\":\"t\"}]}", "Duplicate field");
        refused("{\"name\":\"a\",\"owner\":5,\"things\":[{\"type\":\"t\"}]}", "'owner' is 5: give a string");
    }

    private void refused(String json, String expected) {
        try {
            parser.parse(json);
            fail("accepted: " + json);
        } catch (AppException e) {
            assertEquals(AppException.Reason.INVALID, e.reason());
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.getMessage(), e.getMessage().startsWith("Invalid manifest: "));
        }
    }
}
