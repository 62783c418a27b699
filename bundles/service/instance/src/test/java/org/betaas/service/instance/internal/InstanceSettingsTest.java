package org.betaas.service.instance.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;

public class InstanceSettingsTest {

    private static final String KEY = "0123456789abcdef-secret";

    @Test
    public void defaultsGiveAFifteenSecondKeepAliveAndAFiveSecondStatus() {
        InstanceSettings s = InstanceSettings.parse("tcp://127.0.0.1:1883", "gw-1", "pw", KEY, true, 15, 0, 30, 10,
                10, 0.2);
        assertTrue(s.problems().isEmpty());
        assertEquals(Duration.ofSeconds(15), s.keepAlive());
        assertEquals(Duration.ofSeconds(5), s.statusPeriod());
        assertNull(s.missing());
    }

    @Test
    public void noBrokerMeansNotJoinedWithoutAProblem() {
        InstanceSettings s = InstanceSettings.parse("", "", "", "", true, 15, 0, 30, 10, 10, 0.2);
        assertTrue(s.problems().isEmpty());
        assertTrue(s.missing().contains("no broker configured"));
    }

    @Test
    public void wrongValuesAreReportedWithoutEchoingSecrets() {
        InstanceSettings s = InstanceSettings.parse("http://user:secretpw@host", "gw", "secretpw", "short-secret",
                true, 1, 0, 30, 10, 10, 1.5);
        assertEquals(4, s.problems().size());
        for (String p : s.problems()) {
            assertFalse(p, p.contains("short-secret") || p.contains("secretpw"));
        }
        assertEquals(Duration.ofSeconds(15), s.keepAlive());
        assertEquals(0.2, s.trustThreshold(), 0);
        assertTrue(s.missing().contains("no broker"));
    }

    @Test
    public void aStatusPeriodNotShorterThanTheKeepAliveIsRefused() {
        InstanceSettings s = InstanceSettings.parse("tcp://h:1", "", "", KEY, true, 6, 6, 30, 10, 10, 0);
        assertEquals(1, s.problems().size());
        assertEquals(Duration.ofSeconds(2), s.statusPeriod());
    }

    @Test
    public void afterLeavingTheGatewayDoesNotJoin() {
        InstanceSettings s = InstanceSettings.parse("tcp://h:1883", "", "", KEY, false, 15, 0, 30, 10, 10, 0.2);
        assertTrue(s.missing().startsWith("left"));
    }
}
