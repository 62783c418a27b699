package org.betaas.adaptation.simulator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class TraceTest {

    @Test
    public void shippedTracesLoadInCelsius() throws Exception {
        Trace ambient = Trace.load("ambient");
        assertEquals(7267, ambient.size());
        assertEquals(21.04, ambient.at(0), 0.01); // 69.88 F
        Trace machine = Trace.load("machine");
        assertEquals(22695, machine.size());
        for (int i = 0; i < machine.size(); i++) {
            assertTrue(machine.at(i) > -40 && machine.at(i) < 80);
        }
    }

    @Test
    public void replaysInALoop() throws Exception {
        Trace t = Trace.parse("x", new ByteArrayInputStream("timestamp,value\na,32\nb,212\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0.0, t.at(0), 0);
        assertEquals(100.0, t.at(1), 0);
        assertEquals(0.0, t.at(2), 0);
    }

    @Test
    public void senml() {
        assertEquals("[{\"bn\":\"s1:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5}]", Trace.senml("s1", 21.5));
    }
}
