package org.betaas.shell.placement;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.betaas.api.placement.PlacementDecision;
import org.junit.Test;

public class DecisionTextTest {

    @Test
    public void theOutcomeComesFirstThenTheNumberedReasons() {
        PlacementDecision d = new PlacementDecision.Local("gw-1", List.of("Request: x", "gw-1: kept",
                "Decided by rule local-first: only gw-1"));
        assertEquals("Template    x\nDecision    LOCAL on gateway gw-1\nReasons\n  1. Request: x\n  2. gw-1: kept\n"
                + "  3. Decided by rule local-first: only gw-1\n", DecisionText.of("x", d));
    }

    @Test
    public void aRejectionShowsItsReason() {
        PlacementDecision d = new PlacementDecision.Rejected("no room", List.of("a", "b", "c", "d", "e", "f", "g", "h",
                "i", "j"));
        String text = DecisionText.of("big", d);
        assertEquals("Decision    REJECTED: no room", text.lines().skip(1).findFirst().orElseThrow());
        assertEquals("   1. a", text.lines().skip(3).findFirst().orElseThrow());
        assertEquals("  10. j", text.lines().skip(12).findFirst().orElseThrow());
    }
}
