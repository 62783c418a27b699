package org.betaas.api.cloud;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

public class CloudSettingsTest {

    private static String refused(Map<String, ?> changes) {
        try {
            CloudSettings.validate(changes, k -> "--" + k);
            fail("accepted " + changes);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    public void nothingStoredGivesTheDriverDefaults() {
        CloudSettings s = CloudSettings.of(null);
        assertEquals("openstack", s.provider());
        assertEquals(4, s.maxVms());
        assertEquals("Default", s.domain());
        assertFalse(s.passwordSet());
        assertFalse(s.configured());
    }

    @Test
    public void theViewSaysWhetherAPasswordIsSetButHasNone() {
        Hashtable<String, Object> stored = new Hashtable<>(Map.of("authUrl", "https://c:5000/v3", "password",
                "pw-123", "maxVms", "7", "idleSeconds", "60"));
        CloudSettings s = CloudSettings.of(stored);
        assertTrue(s.passwordSet());
        assertEquals(7, s.maxVms());
        assertFalse(s.toString().contains("pw-123"));
        assertEquals(-1, CloudSettings.of(new Hashtable<>(Map.of("maxVms", "lots"))).maxVms());
    }

    @Test
    public void validValuesAreNormalisedAndAnEmptyPasswordKeepsTheStoredOne() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("provider", "OpenStack");
        in.put("authUrl", " http://127.0.0.1:5000/v3 ");
        in.put("maxVms", "3");
        in.put("password", "");
        in.put("region", null);
        Map<String, Object> out = CloudSettings.validate(in);
        assertEquals(Map.of("provider", "openstack", "authUrl", "http://127.0.0.1:5000/v3", "maxVms", 3), out);
        Hashtable<String, Object> merged = CloudSettings.merge(new Hashtable<>(Map.of("password", "old",
                "idleSeconds", "60", "maxVms", 4)), out);
        assertEquals("old", merged.get("password"));
        assertEquals("60", merged.get("idleSeconds"));
        assertEquals(3, merged.get("maxVms"));
    }

    @Test
    public void wrongValuesAreRefusedNamingTheFieldAsTheCallerCallsIt() {
        assertTrue(refused(Map.of("maxVms", "many")).startsWith("--maxVms must be a whole number"));
        assertTrue(refused(Map.of("maxVms", -2)).contains("0 or more"));
        assertTrue(refused(Map.of("authUrl", "ftp://x/v3")).startsWith("--authUrl 'ftp://x/v3'"));
        assertTrue(refused(Map.of("authUrl", "not a url")).contains("http(s) URL"));
        assertTrue(refused(Map.of("provider", "aws")).contains("openstack"));
        assertTrue(refused(Map.of("colour", "red")).contains("Unknown field 'colour'"));
        assertTrue(refused(Map.of("user", 3)).contains("must be a string"));
    }

    @Test
    public void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        assertFalse(refused(Map.of("authUrl", "https://u:pw-9@x/v3")).contains("pw-9"));
        assertFalse(refused(Map.of("authUrl", "https://u:pw 9@x/v3")).contains("pw 9"));
        assertFalse(refused(Map.of("password", 12345)).contains("12345"));
    }
}
