package org.betaas.service.instance.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class GatewaySettingsTest {

    @Test
    public void validIdsAreKept() {
        GatewaySettings s = GatewaySettings.parse(" gw-kitchen ", "home.lab");
        assertEquals("gw-kitchen", s.gatewayId());
        assertEquals("home.lab", s.instanceId());
        assertTrue(s.problems().isEmpty());
    }

    @Test
    public void emptyGatewayIdFallsBackAndNamesTheKeyAndFile() {
        GatewaySettings s = GatewaySettings.parse("  ", "home");
        assertEquals(GatewaySettings.DEFAULT_GATEWAY_ID, s.gatewayId());
        assertEquals(1, s.problems().size());
        String problem = s.problems().get(0);
        assertTrue(problem, problem.startsWith("gateway.id in etc/org.betaas.gateway.cfg is empty"));
        assertTrue(problem, problem.contains("gateway.id=gw-1"));
    }

    @Test
    public void idsThatWouldBreakTopicsOrXmlAreRejected() {
        GatewaySettings s = GatewaySettings.parse("gw/1<x>", "a b");
        assertEquals(GatewaySettings.DEFAULT_GATEWAY_ID, s.gatewayId());
        assertEquals(GatewaySettings.DEFAULT_INSTANCE_ID, s.instanceId());
        assertEquals(2, s.problems().size());
        assertTrue(s.problems().get(0).contains("'gw/1<x>'"));
    }
}
