package org.betaas.adaptation.mqtt.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class RejectLogTest {

    @Test
    public void oneLinePerReasonPerInterval() {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        RejectLog log = new RejectLog(10, clock::get);
        assertTrue(log.rejected("t", "not-json", "x"));
        assertFalse(log.rejected("t", "not-json", "x"));
        assertTrue("another reason has its own budget", log.rejected("t", "no-value", "x"));
        clock.addAndGet(11);
        assertTrue(log.rejected("t", "not-json", "x"));
    }
}
