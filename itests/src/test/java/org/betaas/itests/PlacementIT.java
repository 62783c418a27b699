package org.betaas.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import javax.inject.Inject;

import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** On a single gateway, betaas:placement-explain says where a VM would go and why, without deploying it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlacementIT extends BetaasTestSupport {

    private static final String GATEWAY_ID = "itest-placement";

    @Inject
    private TaasResourcesManager resourcesManager;

    @Inject
    private ResourceHistory history;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.betaas.gateway.cfg", "gateway.id", GATEWAY_ID)
        };
    }

    @Test
    public void placementExplainPrintsTheDecisionWithReasonsForBigDataCompute() {
        awaitTrue("a resource sample", () -> history.series(ResourceKind.CPU).length >= 1);
        String out = executeCommand("betaas:placement-explain bigdata-compute");
        assertTrue(out, out.contains("Template    bigdata-compute"));
        assertTrue(out, out.matches("(?s).*\\nDecision    (LOCAL on gateway " + GATEWAY_ID
                + "|REMOTE on cloud \\S+|REJECTED: .+?)\\n.*"));
        assertTrue(out, out.contains("\nReasons\n"));
        // the request, this gateway's view with its forecast, and the rule that decided
        assertTrue(out, out.matches("(?s).*\\n\\s+1\\. .*Request: bigdata-compute \\(bigdata-compute, heavy.*"));
        assertTrue(out, out.matches("(?s).*\\n\\s+\\d+\\. " + GATEWAY_ID + ": (kept|dropped).*forecast use .*"));
        assertTrue(out, out.matches("(?s).*\\n\\s+\\d+\\. Decided by rule [a-z-]+: .*"));
        // the horizon the explanation names is the one forecast: 5 samples of 60 s by default
        assertTrue(out, out.contains(GATEWAY_ID + ": Holt forecast over the next 5 min (5 samples of 60 s"));
        assertTrue(out, !out.contains("Exception"));
    }

    @Test
    public void anUnknownTemplateIsNamedWithWhatToUseInstead() {
        String out = executeCommand("betaas:placement-explain no-such-template");
        assertTrue(out, out.contains("REJECTED: unknown template 'no-such-template': use one of ["));
        assertTrue(out, out.contains("bigdata-compute"));
    }
}
