package org.betaas.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * A VM outlives its gateway's Karaf: the real distribution ({@code bin/karaf daemon}) deploys the x86_64 test guest,
 * is stopped and started again, and finds the VM again from its H2 record, still running. Plain JUnit on
 * {@link KarafProcess}, not Pax Exam: Pax Exam cannot restart its container.
 */
public class VmRecordsKarafRestartIT {

    private static final Pattern DEPLOYED = Pattern.compile("Deployed VM (\\S+) from");

    private KarafProcess karaf;
    private String vmId;

    @Test
    public void aVmRecordSurvivesAKarafRestart() throws Exception {
        karaf = KarafProcess.unpack("vm-restart");
        karaf.set("org.betaas.vm.templates.cfg", "folder",
                new File("../vm-templates").getAbsoluteFile().toPath().normalize().toString());
        karaf.set("org.betaas.vm.libvirt.cfg", "domainType", "qemu"); // KVM guests hang on these hosts

        karaf.start();
        String deployed = karaf.await("betaas:vm-deploy --local service-test-x86_64", DEPLOYED.asPredicate());
        Matcher m = DEPLOYED.matcher(deployed);
        assertTrue(deployed, m.find());
        vmId = m.group(1);
        assertTrue(KarafProcess.row(karaf.client("betaas:vm-list"), vmId).contains("RUNNING"));

        karaf.stop();
        assertTrue("the VM keeps running without Karaf", virsh("domstate", "betaas-" + vmId).contains("running"));

        karaf.start();
        String list = karaf.await("betaas:vm-list", out -> KarafProcess.row(out, vmId).contains("RUNNING"));
        assertTrue(list, KarafProcess.row(list, vmId).contains("service-test-x86_64"));

        assertTrue(karaf.client("betaas:vm-destroy " + vmId).contains("Destroyed VM " + vmId));
        assertTrue(virsh("list", "--all", "--name").lines().noneMatch(l -> l.trim().equals("betaas-" + vmId)));
        vmId = null;
    }

    @After
    public void cleanUp() throws Exception {
        if (vmId != null) {
            virsh("destroy", "betaas-" + vmId);
            virsh("undefine", "betaas-" + vmId);
        }
        if (karaf != null) {
            karaf.close();
        }
    }

    private static String virsh(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        command.addAll(List.of(args));
        return ProcessRun.of(command, null, 60).output();
    }
}
