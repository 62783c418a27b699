package org.betaas.adaptation.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

public class TopicFiltersTest {

    @Test
    public void thingIdFromTheFirstPlusLevel() {
        TopicFilters f = new TopicFilters(List.of("betaas/things/+/senml", "site/+/+/data", "raw/#"));
        assertEquals(Optional.of("s1"), f.thingId("betaas/things/s1/senml"));
        assertEquals(Optional.of("room"), f.thingId("site/room/x/data"));
        assertEquals(Optional.empty(), f.thingId("raw/a/b"));
        assertEquals(Optional.empty(), f.thingId("betaas/things/s1/cmd"));
        assertEquals(Optional.empty(), f.thingId("betaas/things/s1/senml/extra"));
    }

    @Test
    public void validity() {
        assertTrue(TopicFilters.valid("a/+/b"));
        assertTrue(TopicFilters.valid("a/#"));
        assertFalse(TopicFilters.valid("a/#/b"));
        assertFalse(TopicFilters.valid("a/b+/c"));
        assertFalse(TopicFilters.valid(""));
    }
}
