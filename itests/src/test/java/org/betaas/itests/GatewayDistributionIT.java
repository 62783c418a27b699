package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.betaas.api.instance.LocalGateway;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The distribution boots into a working gateway: bundles, components, and betaas:gateway-info. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayDistributionIT extends BetaasTestSupport {

    private static final String GATEWAY_ID = "itest-gw-7";

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private LocalGateway localGateway;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.betaas.gateway.cfg", "gateway.id", GATEWAY_ID),
            editConfigurationFilePut("etc/org.betaas.gateway.cfg", "instance.id", "itest-home")
        };
    }

    @Test
    public void everyBetaasBundleIsActive() {
        assertBundlesActive("org.betaas.api", "org.betaas.service.instance", "org.betaas.taas.resources",
                "org.betaas.taas.vm.libvirt", "org.betaas.shell");
    }

    @Test
    public void noBetaasComponentIsUnsatisfied() {
        assertFalse("no BETaaS component found", betaasComponents().isEmpty());
        assertComponentsActive();
    }

    @Test
    public void gatewayInfoShowsTheConfiguredIdentityResourcesAndHypervisor() {
        String out = executeCommand("betaas:gateway-info");
        assertTrue(out, out.contains("Gateway     " + GATEWAY_ID));
        assertTrue(out, out.contains("Instance    itest-home"));
        assertTrue(out, out.matches("(?s).*CPU\\s+\\d+ cores, load \\d+\\.\\d %.*"));
        assertTrue(out, out.matches("(?s).*Memory\\s+\\d+\\.\\d [KMGT]iB used of \\d+\\.\\d [KMGT]iB.*"));
        // ./test starts libvirtd: the configured qemu:///system must answer
        assertTrue(out, out.contains("Hypervisor  libvirt qemu:///system: reachable, QEMU"));
        assertTrue(out, out.contains("LocalGatewayComponent"));
        assertFalse(out, out.contains("UNSATISFIED"));
    }

    @Test
    public void anEmptyGatewayIdIsReportedClearlyAndTheGatewayKeepsRunning() throws Exception {
        Configuration config = configurationAdmin.getConfiguration("org.betaas.gateway", null);
        Dictionary<String, Object> original = config.getProperties();
        Dictionary<String, Object> broken = new Hashtable<>();
        broken.put("gateway.id", "");
        broken.put("instance.id", "itest-home");
        try {
            config.update(broken);
            awaitTrue("the empty gateway.id to be reported",
                    () -> !localGateway.configurationProblems().isEmpty());
            String out = executeCommand("betaas:gateway-info");
            assertTrue(out, out.contains("Configuration problem: gateway.id in etc/org.betaas.gateway.cfg is empty"));
            assertFalse(out, out.contains("Exception"));
        } finally {
            config.update(original);
        }
        awaitTrue("the configured id to come back", () -> localGateway.configurationProblems().isEmpty());
        assertEquals(GATEWAY_ID, localGateway.identity().gatewayId());
    }
}
