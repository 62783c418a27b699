package org.betaas.taas.vm.libvirt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmStats;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;
import org.betaas.api.vm.VmsUsage;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.libvirt.Connect;

/** Against libvirt's built-in test hypervisor, which needs no daemon. */
public class LibvirtDriverTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final String DOMAIN = "<domain type='qemu'><name>${name}</name><uuid>${uuid}</uuid>"
            + "<memory unit='MiB'>${memoryMiB}</memory><vcpu>${vcpus}</vcpu>"
            + "<os><type arch='${arch}'>hvm</type><kernel>${image}/vmlinuz</kernel><initrd>${image}/initrd.img</initrd>"
            + "<cmdline>console=ttyS0 betaas.kind=${kind}</cmdline></os><devices>"
            + "<serial type='pty'><log file='${consoleLog}'/><target port='0'/></serial></devices></domain>";

    /** With a disk of its own (named after the domain, as deploy's overlays are). */
    static final String DISK_DOMAIN = DOMAIN.replace("<devices>", "<devices><disk type='file' device='disk'>"
            + "<source file='${consoleLog}.qcow2'/><target dev='vda' bus='virtio'/></disk>"
            + "<disk type='file' device='cdrom'><source file='${image}/shared.iso'/><target dev='hdc'/></disk>");

    static LibvirtConfiguration config(String uri, Path dir) {
        return config(uri, dir, 5);
    }

    static LibvirtConfiguration config(String uri, Path dir, int answerTimeoutSeconds) {
        return new LibvirtConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LibvirtConfiguration.class;
            }

            @Override
            public String uri() {
                return uri;
            }

            @Override
            public String domainType() {
                return "qemu";
            }

            @Override
            public int tbCacheMiB() {
                return 32;
            }

            @Override
            public String consoleDir() {
                return dir.resolve("consoles").toString();
            }

            @Override
            public String diskDir() {
                return dir.resolve("disks").toString();
            }

            @Override
            public String storagePool() {
                return "default-pool";
            }

            @Override
            public int answerTimeoutSeconds() {
                return answerTimeoutSeconds;
            }
        };
    }

    /** test:///default runs only i686 guests; qemu:///system here x86_64. */
    static final Set<String> ARCHES = Set.of("i686", "x86_64");

    /** Templates of a folder in memory: tiny-x86_64 (image present), noimage, huge. */
    static final class Templates implements TemplateRegistry {
        final Path folder;
        final Map<String, VmTemplate> all;

        Templates(Path folder) {
            this.folder = folder;
            this.all = Map.of(
                    "tiny", new VmTemplate("tiny", VmKind.SERVICE, 1, 64, 0, ARCHES, "img", VmWeight.LIGHT),
                    "noimage", new VmTemplate("noimage", VmKind.GATEWAY, 1, 64, 0, ARCHES, "missing",
                            VmWeight.LIGHT),
                    "huge", new VmTemplate("huge", VmKind.BIGDATA_COMPUTE, 2, 64L * 1024 * 1024, 0,
                            ARCHES, "img", VmWeight.HEAVY),
                    "disky", new VmTemplate("disky", VmKind.BIGDATA_STORAGE, 1, 64, 100, ARCHES, "img",
                            VmWeight.LIGHT));
        }

        @Override
        public List<VmTemplate> templates() {
            return List.copyOf(all.values());
        }

        @Override
        public Optional<VmTemplate> find(String name) {
            return Optional.ofNullable(all.get(name));
        }

        @Override
        public List<String> problems() {
            return List.of();
        }

        @Override
        public Optional<String> domainXml(String template, String architecture) {
            return all.containsKey(template) && ARCHES.contains(architecture)
                    ? Optional.of("disky".equals(template) ? DISK_DOMAIN : DOMAIN) : Optional.empty();
        }

        @Override
        public Optional<Path> folder() {
            return Optional.of(folder);
        }
    }

    private Templates templates;
    private LibvirtDriver driver;

    @Before
    public void setUp() throws Exception {
        Path folder = tmp.newFolder("templates").toPath();
        Files.createDirectories(folder.resolve("img"));
        templates = new Templates(folder);
        driver = new LibvirtDriver(templates, config("test:///default", tmp.getRoot().toPath()));
    }

    @After
    public void cleanUp() throws Exception {
        for (VmInstance vm : driver.list()) {
            driver.destroy(vm.id());
        }
    }

    @Test
    public void testHypervisorIsReachable() {
        DriverStatus status = driver.status();
        assertTrue(status.detail(), status.reachable());
        assertEquals("test:///default", status.endpoint());
        assertTrue(status.detail(), status.detail().startsWith("TEST "));
    }

    @Test
    public void unreachableHypervisorIsReportedNotThrown() {
        DriverStatus status = new LibvirtDriver(templates, config("qemu+tcp://127.0.0.1:1/system",
                tmp.getRoot().toPath())).status();
        assertFalse(status.reachable());
        assertTrue(status.detail(), status.detail().contains("etc/org.betaas.vm.libvirt.cfg"));
    }

    /**
     * A libvirtd that accepts connections and never answers (stopped with SIGSTOP, deadlocked): a socket that
     * nobody reads. The status reports it within the answer timeout instead of hanging, and what follows — the
     * domains, an operation — fails at once, naming the unanswered call, without asking it again.
     */
    @Test(timeout = 30_000)
    public void aHungLibvirtdIsReportedWithinTheAnswerTimeoutAndThenAtOnce() throws Exception {
        Path socket = tmp.getRoot().toPath().resolve("libvirt-sock");
        try (java.nio.channels.ServerSocketChannel silent = java.nio.channels.ServerSocketChannel
                .open(java.net.StandardProtocolFamily.UNIX)) {
            silent.bind(java.net.UnixDomainSocketAddress.of(socket));
            LibvirtDriver hung = new LibvirtDriver(templates, config("qemu+unix:///system?socket=" + socket,
                    tmp.getRoot().toPath(), 1));
            DriverStatus status = hung.status();
            assertFalse(status.reachable());
            assertTrue(status.detail(), status.detail().startsWith("libvirtd at qemu+unix:///system?socket="
                    + socket + " has not answered since "));
            assertTrue(status.detail(), status.detail().contains(" (asked for its version): is it hung?"));
            try {
                hung.list();
                fail("listed the domains of a libvirtd that does not answer");
            } catch (VmException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("has not answered since"));
            }
            try {
                hung.destroy("vm1");
                fail("destroyed a VM on a libvirtd that does not answer");
            } catch (VmException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("has not answered since"));
            }
        }
    }

    @Test
    public void deployOnAnUnreachableHypervisorSaysSo() {
        LibvirtDriver down = new LibvirtDriver(templates, config("qemu+tcp://127.0.0.1:1/system",
                tmp.getRoot().toPath()));
        try {
            down.deploy(templates.all.get("tiny"), "down1");
            fail("deployed without libvirt");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not reachable"));
        }
    }

    @Test
    public void capacityCountsWhatTheDefinedDomainsReserve() throws Exception {
        // test:///default has one running domain "test" with 2 vCPUs using 2 GiB (of 8 GiB max) on a 16-CPU host
        HostCapacity before = driver.capacity();
        assertEquals(16, before.vcpus());
        assertEquals(3 * 1024, before.memoryMiB());
        assertEquals(2, before.reservedVcpus());
        assertEquals(2 * 1024, before.reservedMemoryMiB());
        assertTrue(before.storageMiB() > 0);
        driver.deploy(templates.all.get("tiny"), "cap1");
        HostCapacity after = driver.capacity();
        assertEquals(3, after.reservedVcpus());
        assertEquals(2 * 1024 + 64, after.reservedMemoryMiB());
    }

    @Test
    public void reservedStorageIsWhatTheVmsDisksMayTakeNotTheFileSystemsUse() throws Exception {
        assertEquals(0, driver.capacity().reservedStorageMiB());
        driver.deploy(templates.all.get("disky"), "res1");
        assertEquals(100, driver.capacity().reservedStorageMiB());
    }

    @Test
    public void usageIsWhatTheReservedDomainsUseNowCappedAtTheirReservation() throws Exception {
        // test:///default's own domain "test" runs with 2 GiB, 2 vCPUs and reports an rss; it has no BETaaS disk
        VmsUsage before = driver.usage();
        assertTrue(before.toString(), before.memoryMiB() > 0 && before.memoryMiB() <= 2 * 1024);
        assertTrue(before.toString(), before.vcpusBusy() >= 0 && before.vcpusBusy() <= 2);
        assertEquals(before.toString(), 0, before.storageMiB());

        driver.deploy(templates.all.get("disky"), "use1");
        VmsUsage after = driver.usage();
        assertTrue(after + " vs " + before, after.memoryMiB() > before.memoryMiB()
                && after.memoryMiB() <= before.memoryMiB() + 64);
        // the test hypervisor reports a huge allocation for any disk: capped at the template's 100 MiB; the
        // shared cdrom image is not the VM's
        assertTrue(after.toString(), after.storageMiB() > 0 && after.storageMiB() <= 100);
        assertTrue(after.toString(), after.vcpusBusy() >= 0 && after.vcpusBusy() <= 2 + 1);

        driver.stop("use1"); // suspended: its memory stays resident, its disk stays
        assertTrue(driver.usage().storageMiB() > 0);
        driver.destroy("use1");
        VmsUsage gone = driver.usage();
        assertEquals(gone.toString(), 0, gone.storageMiB());
        assertEquals(gone.toString(), before.memoryMiB(), gone.memoryMiB());
    }

    @Test
    public void aVmGoesThroughItsLifeCycle() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        driver.setStateListener((id, state) -> events.add(id + "=" + state));
        VmInstance vm = driver.deploy(templates.all.get("tiny"), "life1");
        assertEquals(VmState.RUNNING, vm.state());
        assertEquals("tiny", vm.template());
        assertEquals("libvirt", vm.driver());
        assertEquals(List.of("life1"), driver.list().stream().map(VmInstance::id).toList());
        VmInstance listed = driver.list().get(0);
        assertEquals("tiny", listed.template());
        assertEquals(vm.createdAt().toEpochMilli(), listed.createdAt().toEpochMilli());
        assertEquals(64, listed.memoryMiB());
        assertEquals(1, listed.vcpus());

        driver.stop("life1");
        assertEquals(VmState.STOPPED, driver.list().get(0).state());
        driver.stop("life1"); // stopping a stopped VM changes nothing
        driver.resume("life1");
        assertEquals(VmState.RUNNING, driver.list().get(0).state());

        VmStats stats = driver.stats("life1").orElseThrow();
        assertEquals(64, stats.maxMemoryMiB());
        assertTrue(stats.cpuTimeNanos() >= 0);

        driver.destroy("life1");
        assertTrue(driver.list().isEmpty());
        Connect c = new Connect("test:///default");
        try {
            assertFalse(List.of(c.listDefinedDomains()).contains("betaas-life1"));
        } finally {
            c.close();
        }
        awaitEvent(events, "life1=DESTROYED");
        assertTrue(events.toString(), events.contains("life1=STOPPED"));
    }

    @Test
    public void aPayloadIsCopiedBesideTheVmAndHandedOverThroughFwCfgUntilDestroy() throws Exception {
        Path war = tmp.newFile("portal.war").toPath();
        Files.write(war, new byte[] {'P', 'K', 3, 4});
        driver.deploy(templates.all.get("tiny"), "pay1", war);
        Path copy = tmp.getRoot().toPath().resolve("disks").resolve("betaas-pay1.payload");
        assertTrue(Files.exists(copy));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(war), Files.readAllBytes(copy)));
        Connect c = new Connect("test:///default");
        try {
            String xml = c.domainLookupByName("betaas-pay1").getXMLDesc(0);
            assertTrue(xml, xml.contains("opt/org.betaas/app.war") && xml.contains(copy.toString()));
        } finally {
            c.close();
        }
        driver.destroy("pay1");
        assertFalse(Files.exists(copy));
        try {
            driver.deploy(templates.all.get("tiny"), "pay2", tmp.getRoot().toPath().resolve("missing.war"));
            fail("deployed with a missing payload");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("missing.war"));
        }
        assertTrue(driver.list().isEmpty());
    }

    private static void awaitEvent(List<String> events, String event) throws InterruptedException {
        for (int i = 0; i < 50 && !events.contains(event); i++) {
            Thread.sleep(100);
        }
        assertTrue(events.toString(), events.contains(event));
    }

    @Test
    public void aMissingImageIsAClearErrorAndDefinesNothing() throws Exception {
        try {
            driver.deploy(templates.all.get("noimage"), "noimg1");
            fail("deployed without an image");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("missing"));
        }
        assertTrue(driver.list().isEmpty());
    }

    @Test
    public void notEnoughMemoryIsAClearErrorAndDefinesNothing() throws Exception {
        try {
            driver.deploy(templates.all.get("huge"), "huge1");
            fail("deployed 64 TiB");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Not enough memory"));
        }
        assertTrue(driver.list().isEmpty());
    }

    @Test
    public void unknownVmsAreClearErrors() {
        for (String op : List.of("stop", "resume", "destroy")) {
            try {
                switch (op) {
                    case "stop" -> driver.stop("nope");
                    case "resume" -> driver.resume("nope");
                    default -> driver.destroy("nope");
                }
                fail(op);
            } catch (VmException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("'nope'"));
            }
        }
    }

    @Test
    public void invalidVmIdsAreRefused() {
        try {
            driver.deploy(templates.all.get("tiny"), "x</name>");
            fail();
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not valid"));
        }
    }

    /** Where libvirtd runs: a domain whose kernel is missing fails to start and is not left defined. */
    @Test
    public void aVmThatCannotStartIsUndefined() throws Exception {
        LibvirtDriver real = new LibvirtDriver(templates, config("qemu:///system", tmp.getRoot().toPath()));
        Assume.assumeTrue("libvirtd is not running", real.status().reachable());
        try {
            real.deploy(templates.all.get("tiny"), "nostart1");
            real.destroy("nostart1");
            fail("a VM without kernel started");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("did not start"));
        }
        assertTrue(real.list().stream().noneMatch(vm -> vm.id().equals("nostart1")));
    }

    @Test
    public void versionsAreDecoded() {
        assertEquals("7.2.0", LibvirtDriver.version(7_002_000));
        assertEquals("10.10.3", LibvirtDriver.version(10_010_003));
    }
}
