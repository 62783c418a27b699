package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.api.dependability.Watched;
import org.betaas.api.dependability.WatchedSubject;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
    private VmManager vms;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            testGuestsOnHostLibvirt(),
            editConfigurationFilePut("etc/org.betaas.vm.manager.cfg", "reconcileSeconds", "0"),
            editConfigurationFilePut(CFG, "pollSeconds", "1"),
            editConfigurationFilePut(CFG, "replaceVanishedVms", "true"),
            editConfigurationFilePut(CFG, "initialDelaySeconds", "1"),
            editConfigurationFilePut(CFG, "maxDelaySeconds", "4"),
            // an idle test guest spends ~20 ms of CPU time per second: 5 s without any is a frozen QEMU
            editConfigurationFilePut(CFG, "vmStallSeconds", "5"),
            // a re-placement can meet a host still busy from the boot: give the manager more tries
            editConfigurationFilePut(CFG, "maxAttempts", "12")
        };
    }

    private Optional<Incident> incidentOf(SubjectKind kind, String subject) {
        return currentDependabilityManager().stream()
                .flatMap(m -> m.incidents(1000).stream())
                .filter(i -> i.kind() == kind && i.subject().equals(subject)).findFirst();
    }

    /**
     * The Dependability Manager as it is now. Changing its configuration re-creates the component (and closes the
     * old one's store), so a service object injected at the start would go stale once another test changed it.
     */
    private Optional<DependabilityManager> currentDependabilityManager() {
        ServiceReference<DependabilityManager> ref = bundleContext.getServiceReference(DependabilityManager.class);
        if (ref == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(bundleContext.getService(ref));
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    /** What the current Dependability Manager watches (nothing while it is being re-created). */
    private Watched watched() {
        return currentDependabilityManager().map(DependabilityManager::watched).orElse(Watched.none());
    }

    /** Waits until the manager has seen the subject healthy: only then does a change for the worse count. */
    private void awaitSeenHealthy(SubjectKind kind, String name) {
        awaitTrue("the Dependability Manager to have seen " + kind + " " + name + " healthy, now: " + watched()
                .find(kind, name), () -> watched().find(kind, name).map(WatchedSubject::seenHealthy).orElse(false));
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
        awaitSeenHealthy(SubjectKind.COMPONENT, target.name);
        Instant killed = Instant.now();
        scr.disableComponent(target).getValue();
        awaitTrue("the incident of " + target.name + " to be recovered", () -> incidentOf(SubjectKind.COMPONENT,
                target.name).map(i -> Incident.RECOVERED.equals(i.outcome())).orElse(false));
        assertTrue("component " + target.name + " is back", active(target));
        Incident incident = incidentOf(SubjectKind.COMPONENT, target.name).orElseThrow();
        assertEquals("disable+enable through SCR", incident.action());
        assertTrue(incident.what(), incident.what().startsWith("DISABLED"));
        assertTrue(incident.toString(), !incident.time().isBefore(killed.minusSeconds(1))
                && !incident.updated().isBefore(incident.time()));
        assertTrue(incident.toString(), incident.attempts() >= 1 && incident.attempts() <= 12);
        awaitTrue("the manager to see " + target.name + " active again", () -> watched()
                .find(SubjectKind.COMPONENT, target.name).map(s -> !s.failing()
                        && (s.state().equals("ACTIVE") || s.state().equals("SATISFIED"))).orElse(false));

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
        awaitSeenHealthy(SubjectKind.BUNDLE, bundle.getSymbolicName());
        bundle.stop();
        awaitTrue("the incident of the bundle to be recovered", () -> incidentOf(SubjectKind.BUNDLE,
                bundle.getSymbolicName()).map(i -> Incident.RECOVERED.equals(i.outcome())).orElse(false));
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertEquals("bundle start", incidentOf(SubjectKind.BUNDLE, bundle.getSymbolicName()).orElseThrow().action());
        assertComponentsActive();
    }

    /** Every VM a test made (or the Dependability Manager made for it) is destroyed, whatever happened. */
    @After
    public void destroyEveryVm() throws Exception {
        if (vms.list().stream().allMatch(vm -> vm.state() == VmState.DESTROYED)) {
            return;
        }
        // the manager must not re-place the VMs the test destroys: VM watching off meanwhile
        Configuration config = configurationAdmin.getConfiguration("org.betaas.dependability", null);
        Dictionary<String, Object> original = config.getProperties();
        Dictionary<String, Object> paused = new Hashtable<>();
        for (var keys = original.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            paused.put(k, original.get(k));
        }
        paused.put("watchVms", "false");
        config.update(paused);
        // the re-created manager has looked once without VMs (the old one, and any recovery it ran, has ended)
        awaitTrue("the Dependability Manager to stop watching VMs", () -> {
            Watched w = watched();
            return w.polled() != null && !w.kinds().contains(SubjectKind.VM);
        });
        try {
            for (int round = 0; round < 3; round++) {
                for (VmInstance vm : vms.list()) {
                    if (vm.state() != VmState.DESTROYED) {
                        try {
                            vms.destroy(vm.id());
                        } catch (Exception e) {
                            // reported by the assertion below
                        }
                    }
                }
            }
            assertTrue(vms.list().toString(), vms.list().stream().allMatch(vm -> vm.state() == VmState.DESTROYED));
        } finally {
            config.update(original);
            awaitTrue("the Dependability Manager to watch VMs again", () -> watched().kinds()
                    .contains(SubjectKind.VM));
        }
    }

    /** The QEMU process running the VM's domain (libvirt names the guest {@code betaas-<id>}). */
    private static Optional<ProcessHandle> qemuOf(String vmId) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("qemu") && c.contains("guest=betaas-" + vmId + ",")).orElse(false)).findFirst();
    }

    @Test
    public void aVmWhoseQemuProcessIsKilledIsRecovered() throws Exception {
        VmInstance vm = vms.deploy(new VmRequest("service-test-x86_64", "itest"), "libvirt");
        awaitTrue("VM " + vm.id() + " to run", () -> vms.find(vm.id()).map(v -> v.state() == VmState.RUNNING)
                .orElse(false));
        awaitSeenHealthy(SubjectKind.VM, vm.id());
        ProcessHandle qemu = qemuOf(vm.id()).orElseThrow(() -> new AssertionError("no QEMU process of " + vm.id()));
        Instant killed = Instant.now();
        assertTrue("kill -9 " + qemu.pid(), qemu.destroyForcibly()); // SIGKILL on Linux
        assertTrue("QEMU " + qemu.pid() + " gone", qemu.onExit().get(30, TimeUnit.SECONDS) != null);

        awaitTrue("the incident of VM " + vm.id() + " to be recovered", () -> incidentOf(SubjectKind.VM, vm.id())
                .map(i -> i.outcome().startsWith(Incident.RECOVERED)).orElse(false));
        Incident incident = incidentOf(SubjectKind.VM, vm.id()).orElseThrow();
        // what, when, action, outcome; within the bound of attempts
        assertTrue(incident.toString(), incident.what().contains("service-test-x86_64"));
        assertTrue(incident.toString(), !incident.time().isBefore(killed.minusSeconds(1)));
        assertTrue(incident.toString(), incident.action().startsWith("resume through the VM Manager")
                || incident.action().startsWith("re-placed through the TaaS Resources Manager"));
        assertTrue(incident.toString(), incident.attempts() >= 1 && incident.attempts() <= 12);
        // resumed under the same id (a new QEMU), or re-placed under a new one
        String recovered = incident.outcome().contains("replaced by ")
                ? incident.outcome().replaceAll(".*replaced by (\\S+) at .*", "$1") : vm.id();
        awaitTrue("VM " + recovered + " running again", () -> vms.find(recovered)
                .map(v -> v.state() == VmState.RUNNING).orElse(false));
        awaitTrue("a new QEMU process for " + recovered, () -> qemuOf(recovered)
                .map(p -> p.pid() != qemu.pid()).orElse(false));
        // seenHealthy stays true from before the kill: await the manager's own look at the recovered VM
        awaitTrue("the Dependability Manager to see VM " + recovered + " RUNNING and not failing", () -> watched()
                .find(SubjectKind.VM, recovered)
                .map(s -> s.seenHealthy() && !s.failing() && "RUNNING".equals(s.state())).orElse(false));
        String out = executeCommand("betaas:incidents");
        assertTrue(out, out.contains("vm " + vm.id()));
        assertTrue(out, out.contains(Incident.RECOVERED));
        String info = executeCommand("betaas:dependability-info --kind vm");
        assertTrue(info, info.contains("vm " + recovered));
        assertTrue(info, info.contains("RUNNING"));
    }

    @Test
    public void aVmWhoseQemuProcessIsFrozenIsRePlaced() throws Exception {
        VmInstance vm = vms.deploy(new VmRequest("service-test-x86_64", "itest"), "libvirt");
        awaitTrue("VM " + vm.id() + " to run", () -> vms.find(vm.id()).map(v -> v.state() == VmState.RUNNING)
                .orElse(false));
        awaitTrue("the Dependability Manager to see VM " + vm.id() + "'s heartbeat (CPU time advancing)",
                () -> watched().find(SubjectKind.VM, vm.id()).map(s -> s.seenHealthy() && s.lastProgress() != null)
                        .orElse(false));
        ProcessHandle qemu = qemuOf(vm.id()).orElseThrow(() -> new AssertionError("no QEMU process of " + vm.id()));
        // frozen: libvirt still reports it running, but it makes no progress (its destroy kills it)
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(qemu.pid())).redirectErrorStream(true)
                .start();
        assertTrue("kill -STOP finished", stop.waitFor(30, TimeUnit.SECONDS));
        assertEquals(new String(stop.getInputStream().readAllBytes()), 0, stop.exitValue());
        try {
            awaitTrue("the incident of the frozen VM " + vm.id() + " to end in a re-placement", () ->
                    incidentOf(SubjectKind.VM, vm.id()).map(i -> i.outcome().startsWith(Incident.RECOVERED
                            + ": replaced by")).orElse(false));
        } finally {
            if (qemu.isAlive()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(qemu.pid())).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
        Incident incident = incidentOf(SubjectKind.VM, vm.id()).orElseThrow();
        assertTrue(incident.toString(), incident.what().startsWith("hung: RUNNING without CPU progress for 5 s"));
        assertTrue(incident.toString(), incident.action().startsWith("re-placed through the TaaS Resources Manager"));
        assertTrue(incident.toString(), incident.attempts() >= 1 && incident.attempts() <= 12);
        assertTrue("the frozen QEMU was destroyed", qemu.onExit().get(30, TimeUnit.SECONDS) != null);
        awaitTrue("a running replacement of the template", () -> vms.list().stream().anyMatch(v ->
                !v.id().equals(vm.id()) && v.template().equals("service-test-x86_64")
                        && v.state() == VmState.RUNNING));
        assertTrue(vms.list().toString(), vms.find(vm.id()).isEmpty());
    }

    /** Runs virsh on the system libvirt and returns its output (it must succeed). */
    private static String virsh(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "virsh";
        cmd[1] = "-c";
        cmd[2] = "qemu:///system";
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(String.join(" ", cmd) + " finished", p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(out, 0, p.exitValue());
        return out;
    }

    /**
     * Once the VM runs and the manager has seen it healthy, its domain goes for good behind the VM Manager's back
     * (no longer defined, then stopped); returns the incident once it ends in a re-placement.
     */
    private Incident vanishAndAwaitRecovery(VmInstance vm) throws Exception {
        awaitTrue("VM " + vm.id() + " to run", () -> vms.find(vm.id()).map(v -> v.state() == VmState.RUNNING)
                .orElse(false));
        awaitSeenHealthy(SubjectKind.VM, vm.id());
        virsh("undefine", "betaas-" + vm.id());
        virsh("destroy", "betaas-" + vm.id());
        awaitTrue("the incident of VM " + vm.id() + " to be recovered", () -> incidentOf(SubjectKind.VM, vm.id())
                .map(i -> i.outcome().startsWith(Incident.RECOVERED + ": replaced by")).orElse(false));
        return incidentOf(SubjectKind.VM, vm.id()).orElseThrow();
    }

    @Test
    public void aVmThatVanishesIsRePlacedFromItsTemplate() throws Exception {
        VmInstance vm = vms.deploy(new VmRequest("service-test-x86_64", "itest"), "libvirt");
        Incident incident = vanishAndAwaitRecovery(vm);
        assertTrue(incident.toString(), incident.what().contains("VANISHED"));
        assertTrue(incident.toString(), incident.action().startsWith("re-placed through the TaaS Resources Manager"));
        awaitTrue("a running replacement of the template", () -> vms.list().stream().anyMatch(v ->
                !v.id().equals(vm.id()) && v.template().equals("service-test-x86_64")
                        && v.state() == VmState.RUNNING));
    }

    @Test
    public void aServiceVmReplacedAfterItVanishedKeepsItsWebApplication() throws Exception {
        // an app's service VM: deployed with a payload (its war), which the guest reads through fw_cfg
        Path war = Files.createTempFile(Path.of(System.getProperty("karaf.data")), "portal", ".war");
        Files.write(war, new byte[] {'P', 'K', 3, 4, 42});
        VmInstance vm = vms.deploy(new VmRequest("service-test-x86_64", "service-manager"), "libvirt", war);
        Incident incident = vanishAndAwaitRecovery(vm);
        assertTrue(incident.toString(), incident.action().contains("with its payload " + war.getFileName()));
        String replacement = vms.current(vm.id());
        assertTrue("the VM Manager names the replacement of " + vm.id() + ": " + vms.list(),
                !replacement.equals(vm.id()) && incident.outcome().contains("replaced by " + replacement + " "));
        awaitTrue("the replacement " + replacement + " to run", () -> vms.find(replacement)
                .map(v -> v.state() == VmState.RUNNING).orElse(false));
        assertEquals(Optional.of(war.toAbsolutePath()), vms.payload(replacement));
        String xml = virsh("dumpxml", "betaas-" + replacement);
        assertTrue(xml, xml.contains("opt/org.betaas/app.war"));
        Files.delete(war);
    }

    @Test
    public void aWrongLimitIsReportedInOneLine() {
        String out = executeCommand("betaas:incidents --limit 0");
        assertTrue(out, out.contains("--limit 0 is not a positive number"));
        out = executeCommand("betaas:dependability-info --kind toaster");
        assertTrue(out, out.contains("--kind toaster is not a kind of subject"));
    }

    @Test
    public void whatTheManagerWatchesIsShown() {
        awaitSeenHealthy(SubjectKind.BUNDLE, "org.betaas.taas.vm");
        Watched w = watched();
        assertTrue(w.toString(), w.kinds().containsAll(java.util.Set.of(SubjectKind.COMPONENT, SubjectKind.BUNDLE,
                SubjectKind.VM)));
        String out = executeCommand("betaas:dependability-info");
        assertTrue(out, out.contains("Last look"));
        assertTrue(out, out.contains("bundle org.betaas.taas.vm"));
        assertTrue(out, out.contains("component "));
    }
}
