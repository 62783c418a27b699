package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;

public class QueryMeterTest {

    @Test
    public void countsTheQueriesOfTheLastMinuteOnly() {
        BigDataCoreTest.MovableClock clock = new BigDataCoreTest.MovableClock(Instant.parse("2026-11-01T10:00:00Z"));
        QueryMeter meter = new QueryMeter(clock);
        assertEquals(0, meter.perMinute(), 0);
        for (int i = 0; i < 30; i++) {
            meter.record();
            meter.record();
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(60, meter.perMinute(), 0);
        clock.advance(Duration.ofSeconds(44)); // now at +74 s: the queries of +0..+14 s have left the minute
        assertEquals(30, meter.perMinute(), 0);
        meter.record();
        assertEquals(31, meter.perMinute(), 0);
        clock.advance(Duration.ofSeconds(60));
        assertEquals(0, meter.perMinute(), 0);
        // a whole hour later the slots of old seconds are not counted again
        clock.advance(Duration.ofHours(1));
        meter.record();
        assertEquals(1, meter.perMinute(), 0);
    }
}
