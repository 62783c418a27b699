package org.betaas.shell.things;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.List;

import org.betaas.api.things.Measurement;
import org.junit.Test;

public class ValuesTest {

    private static Measurement m(String name, String unit, Object v) {
        return new Measurement("t", name, Instant.EPOCH, unit, v);
    }

    @Test
    public void readable() {
        assertEquals("temperature=21.35 Cel, on=true, 40 %RH", Values.summary(List.of(
                m("temperature", "Cel", 21.35), m("on", "", true), m("", "%RH", 40.0))));
        assertEquals("2 min ago", Values.ago(Instant.EPOCH, Instant.EPOCH.plusSeconds(150)));
    }
}
