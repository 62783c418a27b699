package org.betaas.taas.vm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PersistentVmManagerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A hypervisor in memory. */
    static final class FakeDriver implements VmDriver {
        final Map<String, VmInstance> vms = new ConcurrentHashMap<>();
        String failure;
        BiConsumer<String, VmState> listener;
        /** Runs once inside the next list(): what another thread does while the driver is being asked. */
        Runnable duringNextList;
        /** When set, list() fails with it (after {@link #listGate} opens, when that is set too). */
        volatile String listFailure;
        /** When set, list() waits for it: a driver whose cloud takes its time to fail. */
        volatile CountDownLatch listGate;
        final AtomicInteger listCalls = new AtomicInteger();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public DriverStatus status() {
            return new DriverStatus(true, "fake:", "fake");
        }

        @Override
        public HostCapacity capacity() {
            return new HostCapacity(4, 4096, 10000, 0, 0, 0);
        }

        @Override
        public VmInstance deploy(VmTemplate t, String id) throws VmException {
            if (failure != null) {
                throw new VmException(failure);
            }
            VmInstance vm = new VmInstance(id, t.name(), "fake", "host1", VmState.RUNNING, Instant.now(), t.vcpus(),
                    t.memoryMiB());
            vms.put(id, vm);
            return vm;
        }

        /** The payload each VM was given, as a driver that copies it would keep it. */
        final Map<String, Path> payloads = new ConcurrentHashMap<>();

        @Override
        public VmInstance deploy(VmTemplate t, String id, Path payload) throws VmException {
            VmInstance vm = deploy(t, id);
            payloads.put(id, payload);
            return vm;
        }

        @Override
        public List<VmInstance> list() throws VmException {
            listCalls.incrementAndGet();
            CountDownLatch gate = listGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (listFailure != null) {
                throw new VmException(listFailure);
            }
            Runnable during = duringNextList;
            duringNextList = null;
            if (during != null) {
                during.run();
            }
            return List.copyOf(vms.values());
        }

        private VmInstance get(String id) throws VmException {
            VmInstance vm = vms.get(id);
            if (vm == null) {
                throw new VmException("No VM '" + id + "'");
            }
            return vm;
        }

        @Override
        public void stop(String id) throws VmException {
            vms.put(id, get(id).withState(VmState.STOPPED));
        }

        @Override
        public void resume(String id) throws VmException {
            vms.put(id, get(id).withState(VmState.RUNNING));
        }

        @Override
        public void destroy(String id) throws VmException {
            get(id);
            vms.remove(id);
        }

        @Override
        public void setStateListener(BiConsumer<String, VmState> l) {
            listener = l;
        }
    }

    static VmManagerConfiguration config(String url) {
        return config(url, 0);
    }

    static VmManagerConfiguration config(String url, int reconcileSeconds) {
        return new VmManagerConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return VmManagerConfiguration.class;
            }

            @Override
            public String jdbcUrl() {
                return url;
            }

            @Override
            public int reconcileSeconds() {
                return reconcileSeconds;
            }
        };
    }

    private FakeDriver driver;
    private FolderTemplateRegistry templates;
    private String url;
    private PersistentVmManager manager;

    @Before
    public void setUp() throws Exception {
        Path folder = tmp.newFolder("t").toPath();
        Files.writeString(folder.resolve("svc.properties"), "name = svc\nkind = service\nvcpus = 1\n"
                + "memoryMiB = 128\ndiskMiB = 0\narchitectures = x86_64\nimage = img\nweight = light\n");
        templates = new FolderTemplateRegistry(folder);
        url = "jdbc:h2:file:" + tmp.getRoot().toPath().resolve("db/vms");
        driver = new FakeDriver();
        manager = start();
    }

    /** A VM Manager whose first, asynchronous reconciliation is over, so that it cannot race the test. */
    private PersistentVmManager start() throws InterruptedException {
        PersistentVmManager m = new PersistentVmManager(templates, config(url));
        m.addDriver(driver, Map.of("driver", "fake"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!m.reconciled("fake")) {
            assertTrue("the first reconciliation never ended", System.nanoTime() < deadline);
            Thread.sleep(5);
        }
        return m;
    }

    @After
    public void tearDown() throws Exception {
        java.lang.reflect.Method d = PersistentVmManager.class.getDeclaredMethod("deactivate");
        d.setAccessible(true);
        d.invoke(manager);
    }

    @Test
    public void aDriverThatCannotAnswerIsAskedOncePerReconcileInterval() throws Exception {
        FakeDriver down = new FakeDriver();
        down.listFailure = "cloud unreachable";
        PersistentVmManager m = new PersistentVmManager(templates,
                config("jdbc:h2:file:" + tmp.getRoot().toPath().resolve("db/other"), 3600));
        try {
            m.addDriver(down, Map.of("driver", "down"));
            awaitCalls(down, 1);
            for (int i = 0; i < 5; i++) {
                assertTrue(m.list().isEmpty());
            }
            // before: every list() (each status period, each dependability look) asked it again and warned again
            assertEquals(1, down.listCalls.get());
        } finally {
            java.lang.reflect.Method d = PersistentVmManager.class.getDeclaredMethod("deactivate");
            d.setAccessible(true);
            d.invoke(m);
        }
    }

    @Test
    public void listDoesNotWaitForADriverThatDidNotAnswerLastTime() throws Exception {
        VmInstance vm = manager.deploy(new VmRequest("svc", "test"), "fake");
        driver.listFailure = "connect timed out";
        manager.list(); // asked inline, as every driver: fails
        CountDownLatch gate = new CountDownLatch(1);
        driver.listGate = gate;
        int calls = driver.listCalls.get();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            // the driver now hangs until the gate opens; list() must answer from the records meanwhile
            List<VmInstance> listed = caller.submit(manager::list).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(vm.id()), listed.stream().map(VmInstance::id).toList());
            awaitCalls(driver, calls + 1); // and the driver is asked again, in the background
        } finally {
            gate.countDown();
            caller.shutdownNow();
        }
    }

    private static void awaitCalls(FakeDriver d, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (d.listCalls.get() < calls) {
            assertTrue("the driver was asked " + d.listCalls.get() + " times, expected " + calls,
                    System.nanoTime() < deadline);
            Thread.sleep(5);
        }
    }

    @Test
    public void aVmIsDeployedStoppedResumedAndDestroyed() throws Exception {
        VmInstance vm = manager.deploy(new VmRequest("svc", "test"), "fake");
        assertTrue(vm.id(), vm.id().matches("svc-[0-9a-f]{6}"));
        assertEquals(List.of(vm), manager.list());
        manager.stop(vm.id());
        assertEquals(VmState.STOPPED, manager.find(vm.id()).orElseThrow().state());
        manager.resume(vm.id());
        assertEquals(VmState.RUNNING, manager.find(vm.id()).orElseThrow().state());
        manager.destroy(vm.id());
        assertTrue(manager.list().isEmpty());
        assertTrue(driver.vms.isEmpty());
    }

    @Test
    public void aPayloadAndTheReplacementsOfAVmAreKeptAcrossARestart() throws Exception {
        Path war = tmp.newFile("app.war").toPath();
        VmInstance first = manager.deploy(new VmRequest("svc", "test"), "fake", war);
        assertEquals(war, driver.payloads.get(first.id()));
        assertEquals(Optional.of(war.toAbsolutePath()), manager.payload(first.id()));
        VmInstance plain = manager.deploy(new VmRequest("svc", "test"), "fake");
        assertEquals(Optional.empty(), manager.payload(plain.id()));

        // re-placed twice, as the Dependability Manager does: deploy with the payload, record, destroy the old
        VmInstance second = manager.deploy(new VmRequest("svc", "dependability"), "fake",
                manager.payload(first.id()).orElseThrow());
        manager.replaced(first.id(), second.id());
        manager.destroy(first.id());
        VmInstance third = manager.deploy(new VmRequest("svc", "dependability"), "fake",
                manager.payload(second.id()).orElseThrow());
        manager.replaced(second.id(), third.id());
        manager.destroy(second.id());
        assertEquals(third.id(), manager.current(first.id()));
        assertEquals(plain.id(), manager.current(plain.id()));
        assertEquals("a destroyed VM's payload record goes with it", Optional.empty(), manager.payload(first.id()));
        expect(() -> manager.replaced(third.id(), first.id()), "loop");

        tearDown();
        manager = start();
        assertEquals(third.id(), manager.current(first.id()));
        assertEquals(Optional.of(war.toAbsolutePath()), manager.payload(third.id()));
        Files.delete(war);
        assertEquals("a payload file deleted since is not offered", Optional.empty(), manager.payload(third.id()));
    }

    @Test
    public void failuresHaveClearReasonsAndLeaveNoRecord() throws Exception {
        expect(() -> manager.deploy(new VmRequest("nosuch", "test"), "fake"), "Unknown template 'nosuch'");
        expect(() -> manager.deploy(new VmRequest("svc", "test"), "openstack"), "No VM driver 'openstack'");
        driver.failure = "Not enough memory for 'svc'";
        expect(() -> manager.deploy(new VmRequest("svc", "test"), "fake"), "Not enough memory");
        expect(() -> manager.stop("nope"), "No VM 'nope'");
        assertTrue(manager.list().isEmpty());
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void expect(Call call, String reason) throws Exception {
        try {
            call.run();
            fail("expected: " + reason);
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(reason));
        }
    }

    @Test
    public void recordsSurviveARestartAndAreReconciled() throws Exception {
        VmInstance kept = manager.deploy(new VmRequest("svc", "test"), "fake");
        VmInstance lost = manager.deploy(new VmRequest("svc", "test"), "fake");
        tearDown();
        // while the VM Manager was away: one VM vanished, one appeared, one was stopped
        driver.vms.remove(lost.id());
        driver.vms.put(kept.id(), kept.withState(VmState.STOPPED));
        VmInstance stranger = new VmInstance("other-1", "", "fake", "host1", VmState.RUNNING, Instant.now(), 1, 64);
        driver.vms.put(stranger.id(), stranger);

        manager = start();
        Map<String, VmState> states = new java.util.HashMap<>();
        manager.list().forEach(vm -> states.put(vm.id(), vm.state()));
        assertEquals(Map.of(kept.id(), VmState.STOPPED, lost.id(), VmState.VANISHED, "other-1", VmState.RUNNING),
                states);
        assertEquals("unknown", manager.find("other-1").orElseThrow().template());
        manager.destroy(lost.id()); // a vanished VM is only forgotten
        assertTrue(manager.find(lost.id()).isEmpty());
    }

    @Test
    public void driverEventsUpdateTheRecords() throws Exception {
        VmInstance vm = manager.deploy(new VmRequest("svc", "test"), "fake");
        driver.listener.accept(vm.id(), VmState.DEFINED);
        assertEquals(VmState.DEFINED, manager.find(vm.id()).orElseThrow().state());
        driver.listener.accept(vm.id(), VmState.DESTROYED);
        assertEquals(VmState.VANISHED, manager.find(vm.id()).orElseThrow().state());
    }

    @Test
    public void aVmDestroyedWhileItsDriverIsReconciledStaysForgotten() throws Exception {
        VmInstance vm = manager.deploy(new VmRequest("svc", "test"), "fake");
        // the reconciliation has read the records; the VM is destroyed before the driver answers
        driver.duringNextList = () -> {
            try {
                manager.destroy(vm.id());
            } catch (VmException e) {
                throw new IllegalStateException(e);
            }
        };
        manager.reconcile("fake");
        assertTrue("a destroyed VM came back as " + manager.find(vm.id()), manager.find(vm.id()).isEmpty());
        driver.listener.accept(vm.id(), VmState.DESTROYED);
        assertTrue(manager.find(vm.id()).isEmpty());
    }
}
