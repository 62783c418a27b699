package org.betaas.service.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class RouterTest {

    @Test
    public void templatesMatchSegmentByExactNameOrParameter() {
        assertEquals(Map.of("id", "vm-1"), Router.match(List.of("vms", "{id}", "stop"), List.of("vms", "vm-1", "stop")).get());
        assertTrue(Router.match(List.of("vms", "{id}"), List.of("vms")).isEmpty());
        assertTrue(Router.match(List.of("vms", "{id}"), List.of("vms", "")).isEmpty());
        assertTrue(Router.match(List.of("vms"), List.of("things")).isEmpty());
    }

    @Test
    public void pathsAndQueriesArePercentDecoded() {
        assertEquals(List.of("things", "urn:dev:1", "a/b"), RestApi.segments("/things/urn%3Adev%3A1/a%2Fb/"));
        assertEquals(Map.of("template", "a b+c", "x", ""), RestApi.query("template=a%20b+c&x&template=second"));
    }
}
