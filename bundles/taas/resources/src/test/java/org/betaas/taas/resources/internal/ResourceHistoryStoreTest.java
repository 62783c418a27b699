package org.betaas.taas.resources.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.betaas.api.resources.ResourceKind;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ResourceHistoryStoreTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private String url() {
        return "jdbc:h2:file:" + folder.getRoot().toPath().resolve("betaas/resources").toAbsolutePath();
    }

    @Test
    public void samplesSurviveClosingAndReopening() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            store.append(t0, Map.of(ResourceKind.CPU, 0.25, ResourceKind.MEMORY, 1e9));
            store.append(t0.plusSeconds(60), Map.of(ResourceKind.CPU, 0.5, ResourceKind.BATTERY, Double.NaN));
        }
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            Map<ResourceKind, List<ResourceHistoryStore.Sample>> loaded = store.load(t0);
            assertEquals(List.of(new ResourceHistoryStore.Sample(t0, 0.25),
                    new ResourceHistoryStore.Sample(t0.plusSeconds(60), 0.5)), loaded.get(ResourceKind.CPU));
            assertEquals(1, loaded.get(ResourceKind.MEMORY).size());
            assertFalse("NaN is a gap, not a value", loaded.containsKey(ResourceKind.BATTERY));
        }
    }

    @Test
    public void pruneDropsOnlyOlderSamples() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            for (int i = 0; i < 10; i++) {
                store.append(t0.plusSeconds(i), Map.of(ResourceKind.CPU, (double) i));
            }
            assertEquals(4, store.prune(t0.plusSeconds(4)));
            List<ResourceHistoryStore.Sample> left = store.load(Instant.EPOCH).get(ResourceKind.CPU);
            assertEquals(6, left.size());
            assertEquals(4.0, left.get(0).value(), 0);
        }
    }

    @Test
    public void theSameInstantTwiceKeepsTheLastValue() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (ResourceHistoryStore store = ResourceHistoryStore.open("jdbc:h2:mem:same-instant")) {
            store.append(t0, Map.of(ResourceKind.CPU, 0.1));
            store.append(t0, Map.of(ResourceKind.CPU, 0.2));
            assertEquals(List.of(new ResourceHistoryStore.Sample(t0, 0.2)),
                    store.load(Instant.EPOCH).get(ResourceKind.CPU));
        }
    }

    @Test
    public void aUrlOfAnotherDatabaseIsRefused() {
        try {
            ResourceHistoryStore.open("jdbc:postgresql://localhost/x");
        } catch (java.sql.SQLException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("jdbc:postgresql"));
            return;
        }
        throw new AssertionError("no exception");
    }
}
