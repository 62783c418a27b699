package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Real tiny guests on the host's libvirtd (started by itests/host/setup, guests built by
 * vm-templates/build-test-guests.sh), deployed and driven through the betaas:vm-* commands.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmManagerIT extends BetaasTestSupport {

    private static final Pattern DEPLOYED = Pattern.compile("Deployed VM (\\S+) from");

    /** Computed where the options are built (the build's itests/), read in the container through a property. */
    private static String consoleFolder() {
        return System.getProperty("betaas.it.consoles", vmConsoleFolder());
    }

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            testGuestsOnHostLibvirt(),
            editConfigurationFilePut("etc/org.betaas.vm.manager.cfg", "reconcileSeconds", "0"),
            editConfigurationFilePut("etc/system.properties", "betaas.it.consoles", consoleFolder()),
            // the Dependability Manager looks at the VMs' CPU time every second (a stopped guest's stands still)
            editConfigurationFilePut("etc/org.betaas.dependability.cfg", "pollSeconds", "1"),
        };
    }

    private VmDriver libvirt() throws Exception {
        awaitTrue("the libvirt VmDriver", () -> {
            try {
                return bundleContext.getServiceReferences(VmDriver.class, "(driver=libvirt)").size() == 1;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        return bundleContext.getService(bundleContext.getServiceReferences(VmDriver.class, "(driver=libvirt)")
                .iterator().next());
    }

    private <T> T service(Class<T> type) {
        awaitTrue(type.getSimpleName() + " service", () -> bundleContext.getServiceReference(type) != null);
        ServiceReference<T> ref = bundleContext.getServiceReference(type);
        return bundleContext.getService(ref);
    }

    /** Every VM a test made is destroyed, whatever happened. */
    @After
    public void destroyEveryVm() {
        VmManager vms = service(VmManager.class);
        for (VmInstance vm : vms.list()) {
            executeCommand("betaas:vm-destroy " + vm.id());
        }
        assertEquals(List.of(), vms.list());
    }

    /**
     * How long the VM's CPU time had stood still when the Dependability Manager last looked at it; zero while it
     * advances or before the manager saw it advance once.
     */
    private Duration cpuStillFor(String vmId) {
        ServiceReference<DependabilityManager> ref = bundleContext.getServiceReference(DependabilityManager.class);
        if (ref == null) {
            return Duration.ZERO;
        }
        try {
            return bundleContext.getService(ref).watched().find(SubjectKind.VM, vmId)
                    .filter(s -> s.lastProgress() != null)
                    .map(s -> Duration.between(s.lastProgress(), s.seen())).orElse(Duration.ZERO);
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    private String deploy(String template) {
        String out = executeCommand("betaas:vm-deploy --local " + template);
        Matcher m = DEPLOYED.matcher(out);
        assertTrue(out, m.find());
        return m.group(1);
    }

    private static Path console(String vmId) {
        return Paths.get(consoleFolder(), "betaas-" + vmId + ".console.log");
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int heartbeats(Path console) {
        Matcher m = Pattern.compile("BETAAS-GUEST-HEARTBEAT (\\d+)").matcher(read(console));
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static String row(String table, String id) {
        return Arrays.stream(table.split("\n")).filter(l -> l.contains(id)).findFirst().orElse("");
    }

    @Test
    public void theTemplatesOfEveryKindAreListed() {
        String out = executeCommand("betaas:template-list");
        for (String kind : List.of("service", "gateway", "bigdata-storage", "bigdata-compute")) {
            assertTrue(out, out.contains(kind + "-test-x86_64"));
            assertTrue(out, out.contains(kind + "-test-aarch64"));
        }
        assertFalse(out, out.contains("Problem:"));
    }

    @Test
    public void anX86GuestBootsStopsResumesSurvivesAVmManagerRestartAndIsDestroyed() throws Exception {
        String id = deploy("service-test-x86_64");
        Path console = console(id);
        awaitTrue("the ready marker on " + console, () -> read(console).contains("BETAAS-GUEST-READY kind=service arch=x86_64"));

        String list = executeCommand("betaas:vm-list");
        assertTrue(list, row(list, id).matches(".*service-test-x86_64.*libvirt@.*RUNNING.*\\b1\\b.*128 MiB.*"));
        String info = executeCommand("betaas:vm-info " + id);
        assertTrue(info, info.contains("CPU time"));
        assertTrue(info, info.contains("Memory use  128 MiB of 128 MiB"));

        assertTrue(executeCommand("betaas:vm-stop " + id).contains("Stopped VM " + id));
        assertTrue(row(executeCommand("betaas:vm-list"), id).contains("STOPPED"));
        int beatsWhenStopped = heartbeats(console);
        // the guest beats every 2 s: a suspended one does not, and its CPU time stands still (hypervisor's view)
        awaitTrue("the Dependability Manager to see the CPU time of the stopped VM " + id
                + " stand still for 4.5 s (2 heartbeats)", () -> cpuStillFor(id).toMillis() >= 4500);
        assertEquals(beatsWhenStopped, heartbeats(console));

        assertTrue(executeCommand("betaas:vm-resume " + id).contains("Resumed VM " + id));
        awaitTrue("a heartbeat after resume", () -> heartbeats(console) > beatsWhenStopped);
        assertTrue(row(executeCommand("betaas:vm-list"), id).contains("RUNNING"));

        // The VM Manager forgets everything but its H2 records when its bundle restarts (as at a Karaf restart)
        Bundle vmBundle = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.betaas.taas.vm".equals(b.getSymbolicName())).findFirst().orElseThrow();
        vmBundle.stop();
        vmBundle.start();
        awaitTrue("the VM record back after the VM Manager restarted",
                () -> row(executeCommand("betaas:vm-list"), id).contains("RUNNING"));

        assertTrue(executeCommand("betaas:vm-destroy " + id).contains("Destroyed VM " + id));
        assertFalse(executeCommand("betaas:vm-list").contains(id));
        VmDriver libvirt = libvirt();
        assertTrue(libvirt.list().stream().noneMatch(vm -> vm.id().equals(id)));
    }

    @Test
    public void anAarch64GuestBoots() {
        String id = deploy("bigdata-compute-test-aarch64");
        awaitTrue("the aarch64 ready marker", () -> read(console(id))
                .contains("BETAAS-GUEST-READY kind=bigdata-compute arch=aarch64"));
        assertTrue(executeCommand("betaas:vm-destroy " + id).contains("Destroyed VM " + id));
    }

    @Test
    public void deploysThatCannotSucceedSayWhyAndLeaveNoDomain() throws Exception {
        VmDriver libvirt = libvirt();
        int before = libvirt.list().size();
        String unknown = executeCommand("betaas:vm-deploy --local no-such-template");
        assertTrue(unknown, unknown.contains("Cannot deploy 'no-such-template': Unknown template"));
        // the real images are not built on test hosts
        String noImage = executeCommand("betaas:vm-deploy --local bigdata-storage");
        assertTrue(noImage, noImage.contains("Cannot deploy 'bigdata-storage'") && noImage.contains("missing"));
        String noDriver = executeCommand("betaas:vm-deploy --local --driver nimbus service-test-x86_64");
        assertTrue(noDriver, noDriver.contains("No VM driver 'nimbus'"));
        assertEquals(before, libvirt.list().size());
        assertTrue(executeCommand("betaas:vm-list").split("\n").length <= 2);
        String noVm = executeCommand("betaas:vm-stop nope-123");
        assertTrue(noVm, noVm.contains("Cannot stop VM 'nope-123': No VM 'nope-123'"));
    }
}
