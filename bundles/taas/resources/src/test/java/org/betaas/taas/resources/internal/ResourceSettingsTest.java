package org.betaas.taas.resources.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;

public class ResourceSettingsTest {

    @Test
    public void defaultsAreAMinuteSixHoursAndTheKarafDataFolder() {
        ResourceSettings s = ResourceSettings.parse("", "", "", "", "", "/opt/karaf/data");
        assertEquals(Duration.ofSeconds(60), s.interval());
        assertEquals(Duration.ofHours(6), s.history());
        assertEquals(360, s.slots());
        assertEquals(5, s.horizon()); // placement looks 5 minutes ahead
        assertEquals("jdbc:h2:file:/opt/karaf/data/betaas/resources", s.databaseUrl());
        assertTrue(s.problems().isEmpty());
    }

    @Test
    public void wrongValuesAreReportedAndReplacedByDefaults() {
        ResourceSettings s = ResourceSettings.parse("often", "0", "900", "12", "mysql://x", "/d");
        assertEquals(Duration.ofSeconds(60), s.interval());
        assertEquals(Duration.ofHours(6), s.history());
        assertEquals("jdbc:h2:file:/d/betaas/resources", s.databaseUrl());
        assertEquals(3, s.problems().size());
        assertTrue(s.problems().get(0), s.problems().get(0).startsWith("interval.seconds in etc/org.betaas.resources.cfg is 'often'"));
        assertTrue(s.problems().get(2), s.problems().get(2).contains("mysql://x"));
    }

    @Test
    public void theHistoryIsBoundedWhateverTheConfiguration() {
        ResourceSettings s = ResourceSettings.parse("1", "744", "60", "12", "", "/d");
        assertEquals(ResourceSettings.MAX_SLOTS, s.slots());
    }
}
