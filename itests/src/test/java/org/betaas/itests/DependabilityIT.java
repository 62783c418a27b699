package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.Arrays;
import java.util.Optional;

import javax.inject.Inject;

import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The Dependability Manager notices a BETaaS component or bundle that stops working, brings it back and records
 * the incident for {@code betaas:incidents}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DependabilityIT extends BetaasTestSupport {

    private static final String CFG = "etc/org.betaas.dependability.cfg";

    @Inject
    private DependabilityManager dependability;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut(CFG, "pollSeconds", "1"),
            editConfigurationFilePut(CFG, "initialDelaySeconds", "1"),
            editConfigurationFilePut(CFG, "maxDelaySeconds", "4")
        };
    }

    private Optional<Incident> incidentOf(SubjectKind kind, String subject) {
        return dependability.incidents(1000).stream()
                .filter(i -> i.kind() == kind && i.subject().equals(subject)).findFirst();
    }

    private boolean active(ComponentDescriptionDTO d) {
        ComponentDescriptionDTO now = scr.getComponentDescriptionDTO(bundleContext.getBundle(d.bundle.id), d.name);
        return now != null && scr.isComponentEnabled(now) && scr.getComponentConfigurationDTOs(now).stream()
                .anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE
                        || c.state == ComponentConfigurationDTO.SATISFIED);
    }

    @Test
    public void aDisabledComponentIsEnabledAgainAndTheIncidentIsListed() throws Exception {
        assertComponentsActive();
        ComponentDescriptionDTO target = betaasComponents().stream()
                .filter(d -> d.bundle.symbolicName.equals("org.betaas.taas.resources"))
                .findFirst().orElseThrow(() -> new AssertionError("no component in org.betaas.taas.resources"));
        // the manager must have seen it healthy once before it counts a disabled component as a failure
        Thread.sleep(2500);
        scr.disableComponent(target).getValue();
        awaitTrue("the incident of " + target.name + " to be recovered", () -> incidentOf(SubjectKind.COMPONENT,
                target.name).map(i -> Incident.RECOVERED.equals(i.outcome())).orElse(false));
        assertTrue("component " + target.name + " is back", active(target));
        Incident incident = incidentOf(SubjectKind.COMPONENT, target.name).orElseThrow();
        assertEquals("disable+enable through SCR", incident.action());
        assertTrue(incident.attempts() >= 1);

        String out = executeCommand("betaas:incidents --limit 10");
        assertTrue(out, out.contains("component " + target.name));
        assertTrue(out, out.contains("disable+enable through SCR"));
        assertTrue(out, out.contains(Incident.RECOVERED));
    }

    @Test
    public void aStoppedBundleIsStartedAgain() throws Exception {
        Bundle bundle = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.betaas.taas.vm.libvirt".equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("org.betaas.taas.vm.libvirt is not installed"));
        awaitTrue("the bundle to be ACTIVE", () -> bundle.getState() == Bundle.ACTIVE);
        Thread.sleep(2500);
        bundle.stop();
        awaitTrue("the incident of the bundle to be recovered", () -> incidentOf(SubjectKind.BUNDLE,
                bundle.getSymbolicName()).map(i -> Incident.RECOVERED.equals(i.outcome())).orElse(false));
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertEquals("bundle start", incidentOf(SubjectKind.BUNDLE, bundle.getSymbolicName()).orElseThrow().action());
        assertComponentsActive();
    }

    @Test
    public void aWrongLimitIsReportedInOneLine() {
        String out = executeCommand("betaas:incidents --limit 0");
        assertTrue(out, out.contains("--limit 0 is not a positive number"));
    }
}
