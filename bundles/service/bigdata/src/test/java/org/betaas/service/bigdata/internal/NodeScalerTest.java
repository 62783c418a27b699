package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.betaas.api.bigdata.NodeRole;
import org.betaas.service.bigdata.internal.NodeScaler.Load;
import org.betaas.service.bigdata.internal.NodeScaler.Step;
import org.junit.Test;

public class NodeScalerTest {

    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

    private static NodeScaler scaler(long rowsHigh, long bytesHigh, double queriesHigh, double fraction, int max,
                                     long cooldownSeconds) {
        return new NodeScaler(new NodeScaler.Thresholds(rowsHigh, bytesHigh, queriesHigh, fraction, max, max,
                Duration.ofSeconds(cooldownSeconds), Duration.ofSeconds(30)));
    }

    private static Load rows(long rows) {
        return new Load(rows, 0, 0);
    }

    @Test
    public void aStorageNodeIsAskedForOnceTheRowsReachTheThreshold() {
        NodeScaler s = scaler(1000, 0, 0, 0.5, 1, 0);
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, rows(999), 0, NOW));
        Step step = s.decide(NodeRole.STORAGE, rows(1000), 0, NOW).orElseThrow();
        assertTrue(step instanceof Step.Request);
        assertEquals("1000 rows against a threshold of 1000", step.reason());
        // rows say nothing about compute
        assertEquals(Optional.empty(), s.decide(NodeRole.COMPUTE, rows(5000), 0, NOW));
    }

    @Test
    public void hysteresisKeepsTheNodeUntilTheLoadFallsBelowTheReleaseFraction() {
        NodeScaler s = scaler(1000, 0, 0, 0.5, 1, 0);
        // held: the load going back under the threshold is not enough
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, rows(999), 1, NOW));
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, rows(500), 1, NOW));
        Step step = s.decide(NodeRole.STORAGE, rows(499), 1, NOW).orElseThrow();
        assertTrue(step instanceof Step.Release);
        assertTrue(step.reason(), step.reason().contains("below 50% of its threshold"));
        // at the maximum, more load asks for nothing more
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, rows(10_000), 1, NOW));
    }

    @Test
    public void eitherStorageThresholdAsksForANode() {
        NodeScaler s = scaler(1000, 1_000_000, 0, 0.5, 1, 0);
        Step step = s.decide(NodeRole.STORAGE, new Load(10, 2_000_000, 0), 0, NOW).orElseThrow();
        assertTrue(step instanceof Step.Request);
        assertTrue(step.reason(), step.reason().contains("2000000 bytes against a threshold of 1000000"));
        // released only when both are low
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, new Load(10, 600_000, 0), 1, NOW));
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, new Load(600, 10, 0), 1, NOW));
        assertTrue(s.decide(NodeRole.STORAGE, new Load(400, 400_000, 0), 1, NOW).orElseThrow()
                instanceof Step.Release);
    }

    @Test
    public void theQueryLoadAsksForComputeNodesOneAtATimeUpToTheMaximum() {
        NodeScaler s = scaler(0, 0, 60, 0.8, 2, 0);
        assertEquals(Optional.empty(), s.decide(NodeRole.COMPUTE, new Load(0, 0, 59), 0, NOW));
        assertTrue(s.decide(NodeRole.COMPUTE, new Load(0, 0, 60), 0, NOW).orElseThrow() instanceof Step.Request);
        // a second node from twice the threshold
        assertEquals(Optional.empty(), s.decide(NodeRole.COMPUTE, new Load(0, 0, 119), 1, NOW));
        assertTrue(s.decide(NodeRole.COMPUTE, new Load(0, 0, 120), 1, NOW).orElseThrow() instanceof Step.Request);
        assertEquals(Optional.empty(), s.decide(NodeRole.COMPUTE, new Load(0, 0, 1000), 2, NOW));
        // with two held, one goes below 2 * 0.8 * 60 = 96
        assertEquals(Optional.empty(), s.decide(NodeRole.COMPUTE, new Load(0, 0, 96), 2, NOW));
        assertTrue(s.decide(NodeRole.COMPUTE, new Load(0, 0, 95), 2, NOW).orElseThrow() instanceof Step.Release);
        // storage thresholds off: never a storage node
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, new Load(1_000_000_000, 1L << 40, 0), 0, NOW));
    }

    @Test
    public void afterAChangeTheRoleWaitsForTheCooldown() {
        NodeScaler s = scaler(1000, 0, 10, 0.5, 1, 60);
        s.changed(NodeRole.STORAGE, NOW);
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, rows(0), 1, NOW.plusSeconds(59)));
        assertTrue(s.decide(NodeRole.STORAGE, rows(0), 1, NOW.plusSeconds(60)).isPresent());
        // the other role is not held back
        assertTrue(s.decide(NodeRole.COMPUTE, new Load(0, 0, 10), 0, NOW.plusSeconds(1)).isPresent());
    }

    @Test
    public void aFailedRequestIsRetriedAfterRetryAfterEvenWithoutCooldown() {
        NodeScaler s = scaler(1000, 0, 0, 0.5, 1, 0);
        s.failed(NodeRole.STORAGE, NOW);
        assertEquals(Optional.empty(), s.decide(NodeRole.STORAGE, rows(2000), 0, NOW.plusSeconds(29)));
        assertTrue(s.decide(NodeRole.STORAGE, rows(2000), 0, NOW.plusSeconds(30)).isPresent());
    }

    @Test
    public void nodesBeyondALoweredMaximumAreReleased() {
        NodeScaler s = scaler(1000, 0, 0, 0.5, 0, 0);
        Step step = s.decide(NodeRole.STORAGE, rows(5000), 1, NOW).orElseThrow();
        assertTrue(step instanceof Step.Release);
        assertEquals("1 storage nodes held, at most 0 configured", step.reason());
    }

    @Test(expected = IllegalArgumentException.class)
    public void aReleaseFractionAboveOneIsRefused() {
        scaler(1, 0, 0, 1.5, 1, 0);
    }
}
