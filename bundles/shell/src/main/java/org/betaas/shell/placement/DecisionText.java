package org.betaas.shell.placement;

import java.util.List;

import org.betaas.api.placement.PlacementDecision;

/** A placement decision as an operator reads it: the outcome first, then the numbered reasons. */
final class DecisionText {

    private DecisionText() {
    }

    static String of(String template, PlacementDecision decision) {
        StringBuilder text = new StringBuilder();
        text.append("Template    ").append(template).append('\n');
        text.append("Decision    ").append(outcome(decision)).append('\n');
        text.append("Reasons").append('\n');
        List<String> reasons = decision.reasons();
        int width = String.valueOf(reasons.size()).length();
        for (int i = 0; i < reasons.size(); i++) {
            String number = String.valueOf(i + 1);
            text.append("  ").append(" ".repeat(width - number.length())).append(number).append(". ")
                    .append(reasons.get(i)).append('\n');
        }
        return text.toString();
    }

    static String outcome(PlacementDecision decision) {
        if (decision instanceof PlacementDecision.Local l) {
            return "LOCAL on gateway " + l.gatewayId();
        }
        if (decision instanceof PlacementDecision.Remote r) {
            return "REMOTE on cloud " + r.cloud();
        }
        return "REJECTED: " + ((PlacementDecision.Rejected) decision).reason();
    }
}
