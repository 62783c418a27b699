package org.betaas.service.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class HistoryQueryTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    @Test
    public void durationsTakeAUnitOrIso8601() {
        assertEquals(Duration.ofSeconds(60), HistoryQuery.duration("bucket", "60s"));
        assertEquals(Duration.ofMinutes(15), HistoryQuery.duration("since", " 15m "));
        assertEquals(Duration.ofHours(2), HistoryQuery.duration("since", "2h"));
        assertEquals(Duration.ofDays(7), HistoryQuery.duration("since", "7d"));
        assertEquals(Duration.ofMinutes(15), HistoryQuery.duration("since", "PT15M"));
        assertEquals(Duration.ofDays(1), HistoryQuery.duration("since", "p1d"));
        for (String bad : new String[] {"", "15", "m", "15 m", "1.5h", "15M", "-1h", "PT-1M", "P", "1w", "999999999d",
                "1000000000s"}) {
            try {
                HistoryQuery.duration("since", bad);
                fail(bad);
            } catch (ApiException e) {
                assertEquals(400, e.status());
                assertTrue(e.getMessage(), e.getMessage().startsWith("since '" + bad + "' "));
            }
        }
    }

    @Test
    public void anUpperCaseMIsA400SayingHowToWriteMinutes() {
        try {
            HistoryQuery.parse(Map.of("bucket", "15M"), NOW);
            fail("15M");
        } catch (ApiException e) {
            assertEquals(400, e.status());
            assertTrue(e.getMessage(), e.getMessage().startsWith("bucket '15M' is ambiguous"));
            assertTrue(e.getMessage(), e.getMessage().contains("write 15m or PT15M for minutes"));
        }
    }

    @Test
    public void theRangeDefaultsToTheLastHourAndToDefaultsToNow() {
        HistoryQuery q = HistoryQuery.parse(Map.of(), NOW);
        assertEquals(NOW.minusSeconds(3600), q.from());
        assertEquals(NOW, q.to());
        assertEquals(HistoryQuery.DEFAULT_LIMIT, q.limit());
        assertEquals(Optional.empty(), q.bucket());
        assertEquals(Optional.empty(), q.name());
        HistoryQuery from = HistoryQuery.parse(Map.of("from", "2026-11-22T02:30:00Z"), NOW);
        assertEquals(Duration.ofMinutes(30), Duration.between(from.from(), from.to()));
        HistoryQuery to = HistoryQuery.parse(Map.of("to", "2026-11-22T01:00:00+01:00"), NOW);
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), to.to());
        assertEquals(Instant.parse("2026-11-21T23:00:00Z"), to.from());
        HistoryQuery all = HistoryQuery.parse(Map.of("since", "1d", "name", "t", "limit", "10", "bucket", "1h"), NOW);
        assertEquals(NOW.minus(Duration.ofDays(1)), all.from());
        assertEquals(Optional.of("t"), all.name());
        assertEquals(10, all.limit());
        assertEquals(Optional.of(Duration.ofHours(1)), all.bucket());
    }
}
