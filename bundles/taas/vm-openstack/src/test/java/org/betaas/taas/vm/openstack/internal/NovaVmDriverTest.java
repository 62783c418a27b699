package org.betaas.taas.vm.openstack.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class NovaVmDriverTest {

    /** A clock the test moves forward. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final VmTemplate SERVICE = new VmTemplate("service", VmKind.SERVICE, 1, 256, 1024, Set.of("x86_64"),
            "fakeimage7", VmWeight.LIGHT);
    static final VmTemplate GATEWAY = new VmTemplate("gateway", VmKind.GATEWAY, 2, 3000, 10240, Set.of("x86_64"),
            "fakeimage6", VmWeight.HEAVY);

    private FakeOpenStack cloud;
    private TestClock clock;
    private PrintStream originalErr;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @Before
    public void setUp() throws Exception {
        originalErr = System.err;
        // slf4j-simple writes to whatever System.err is when it logs: every log line of the test lands here
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        cloud = new FakeOpenStack();
        clock = new TestClock();
    }

    @After
    public void tearDown() {
        cloud.close();
        System.setErr(originalErr);
        String text = logs.toString(StandardCharsets.UTF_8);
        originalErr.print(text);
        assertFalse("the password was logged", text.contains(FakeOpenStack.PASSWORD));
        assertFalse("a token was logged", text.contains("gAAAAAB-token"));
    }

    private OpenStackSettings settings(String password, int maxVms, Duration buildTimeout, Duration requestTimeout,
                                       Map<String, String> flavors) {
        return new OpenStackSettings(cloud.authUrl(), FakeOpenStack.USER, password, FakeOpenStack.PROJECT, "Default",
                "RegionOne", maxVms, Duration.ofMinutes(10), Duration.ofMillis(20), buildTimeout, requestTimeout,
                flavors, List.of());
    }

    private NovaVmDriver driver() {
        return new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 4, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Map.of()), clock);
    }

    private static String failure(ThrowingRunnable r) {
        try {
            r.run();
        } catch (VmException e) {
            System.out.println("VmException: " + e.getMessage());
            return e.getMessage();
        }
        fail("expected a VmException");
        return null;
    }

    interface ThrowingRunnable {
        void run() throws VmException;
    }

    @Test
    public void deployStopReuseThenDestroyWhenIdle() throws Exception {
        NovaVmDriver driver = driver();

        VmInstance vm = driver.deploy(SERVICE, "vm-1");
        assertEquals(VmState.RUNNING, vm.state());
        assertEquals("openstack", vm.driver());
        assertEquals("service", vm.template());
        assertEquals("smallest flavor that fits: m1.tiny", 512, vm.memoryMiB());
        assertEquals(1, cloud.servers.size());
        FakeOpenStack.Server server = cloud.servers.values().iterator().next();
        assertEquals("1", server.flavorId);
        assertEquals("70a599e0-31e7-49b7-b260-868f441e862b", server.imageId);
        assertEquals("vm-1", server.metadata.get(NovaServer.VM));
        assertEquals("service", server.metadata.get(NovaServer.TEMPLATE));
        assertEquals(List.of("vm-1"), driver.list().stream().map(VmInstance::id).toList());
        assertTrue("the log capture works, so the secret checks in tearDown mean something",
                logs.toString(StandardCharsets.UTF_8).contains("Authenticated at Keystone"));

        driver.stop("vm-1");
        assertEquals("SHUTOFF", server.status);
        assertEquals(VmState.STOPPED, driver.list().get(0).state());

        long creates = cloud.requests.stream().filter("POST /servers"::equals).count();
        VmInstance again = driver.deploy(SERVICE, "vm-2");
        assertEquals("the stopped server is reused, not a new one created", creates,
                cloud.requests.stream().filter("POST /servers"::equals).count());
        assertEquals(VmState.RUNNING, again.state());
        assertEquals(1, cloud.servers.size());
        assertEquals("ACTIVE", server.status);
        assertEquals("vm-2", server.metadata.get(NovaServer.VM));
        assertEquals("vm-1", server.metadata.get(NovaVmDriver.PREVIOUS_VM));
        assertNull(server.metadata.get(NovaServer.STOPPED_AT));
        assertEquals(List.of("vm-2"), driver.list().stream().map(VmInstance::id).toList());
        assertTrue(failure(() -> driver.resume("vm-1")).contains("No VM 'vm-1'"));

        driver.stop("vm-2");
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertEquals("not idle long enough yet", List.of(), driver.destroyIdle());
        assertEquals(1, cloud.servers.size());
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertEquals(List.of("vm-2"), driver.destroyIdle());
        assertTrue(cloud.servers.isEmpty());
        assertTrue(driver.list().isEmpty());
    }

    @Test
    public void resumeAndDestroy() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        driver.stop("vm-1");
        driver.resume("vm-1");
        assertEquals(VmState.RUNNING, driver.list().get(0).state());
        driver.destroy("vm-1");
        assertTrue(cloud.servers.isEmpty());
        assertTrue(failure(() -> driver.destroy("vm-1")).contains("No VM 'vm-1'"));
    }

    @Test
    public void runningServersAreNotReusedAndTemplatesDoNotMix() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        driver.deploy(GATEWAY, "vm-2");
        driver.stop("vm-2");
        driver.deploy(SERVICE, "vm-3");
        assertEquals("a running service VM and a stopped gateway VM are not reused for a service", 3,
                cloud.servers.size());
        assertTrue(failure(() -> driver.deploy(SERVICE, "vm-3")).contains("already exists"));
    }

    @Test
    public void flavorIsTheSmallestThatFitsOrTheMappedOne() throws Exception {
        NovaVmDriver driver = driver();
        assertEquals("m1.medium: 2 vCPUs, 4096 MiB", 4096, driver.deploy(GATEWAY, "vm-1").memoryMiB());
        NovaVmDriver mapped = new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 4, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Map.of("gateway", "m1.large")), clock);
        assertEquals(8192, mapped.deploy(GATEWAY, "vm-2").memoryMiB());
        VmTemplate huge = new VmTemplate("huge", VmKind.BIGDATA_COMPUTE, 64, 1 << 20, 1024, Set.of("x86_64"),
                "fakeimage7", VmWeight.HEAVY);
        assertTrue(failure(() -> driver.deploy(huge, "vm-3")).contains("No flavor"));
        NovaVmDriver wrongMap = new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 4, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Map.of("service", "m9.nothing")), clock);
        assertTrue(failure(() -> wrongMap.deploy(SERVICE, "vm-4")).contains("Flavor 'm9.nothing'"));
    }

    @Test
    public void tokenIsCachedAndRenewedOn401AndNearExpiry() throws Exception {
        NovaVmDriver driver = driver();
        driver.list();
        driver.list();
        assertEquals("one token for both calls", 1, cloud.authentications.get());
        cloud.revokeTokens();
        assertTrue(driver.list().isEmpty());
        assertEquals("authenticated again after Nova's 401", 2, cloud.authentications.get());
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        driver.list();
        assertEquals("renewed shortly before it expires", 3, cloud.authentications.get());
    }

    @Test
    public void wrongCredentials() {
        NovaVmDriver driver = new NovaVmDriver(settings("wrong-password", 4, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Map.of()), clock);
        String message = failure(() -> driver.deploy(SERVICE, "vm-1"));
        assertTrue(message, message.contains("rejected the credentials of user 'betaas'"));
        DriverStatus status = driver.status();
        assertFalse(status.reachable());
        assertTrue(status.detail().contains("rejected the credentials"));
        assertFalse(status.toString().contains("wrong-password"));
        assertFalse(message.contains("wrong-password"));
    }

    @Test
    public void passwordChangedWhileRunning() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        cloud.password = "rotated";
        cloud.revokeTokens();
        String message = failure(() -> driver.stop("vm-1"));
        assertTrue(message, message.contains("rejected the credentials"));
        assertEquals("one more authentication, not a loop", 2, cloud.authentications.get());
    }

    @Test
    public void overQuota() throws Exception {
        cloud.quotaInstances = 1;
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        String message = failure(() -> driver.deploy(GATEWAY, "vm-2"));
        assertTrue(message, message.contains("over quota"));
        assertTrue(message, message.contains("Quota exceeded for instances"));
    }

    @Test
    public void notFound() throws Exception {
        NovaVmDriver driver = driver();
        assertTrue(failure(() -> driver.stop("nope")).contains("No VM 'nope'"));
        VmTemplate missing = new VmTemplate("missing", VmKind.SERVICE, 1, 256, 1024, Set.of("x86_64"), "no-such-image",
                VmWeight.LIGHT);
        assertTrue(failure(() -> driver.deploy(missing, "vm-1")).contains("Image 'no-such-image'"));
        VmTemplate ambiguous = new VmTemplate("amb", VmKind.SERVICE, 1, 256, 1024, Set.of("x86_64"),
                "fakeimage123456", VmWeight.LIGHT);
        assertTrue(failure(() -> driver.deploy(ambiguous, "vm-1")).contains("ambiguous"));
        CloudSession session = new CloudSession(settings(FakeOpenStack.PASSWORD, 4, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Map.of()), clock);
        try {
            session.nova("GET", "/servers/3f0ed3b0-0000-4000-8000-000000000000", null, "reading a server");
            fail();
        } catch (CloudException e) {
            assertEquals(404, e.status());
            assertTrue(e.getMessage(), e.getMessage().contains("Instance 3f0ed3b0-0000-4000-8000-000000000000 could not be found"));
        }
        assertTrue(cloud.servers.isEmpty());
    }

    @Test
    public void conflict() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        FakeOpenStack.Server server = cloud.servers.values().iterator().next();
        server.status = "BUILD"; // rebuilding behind our back
        server.pollsUntilDone = Integer.MAX_VALUE;
        String message = failure(() -> driver.stop("vm-1"));
        assertTrue(message, message.contains("conflict"));
        assertTrue(message, message.contains("Cannot 'stop' instance"));
    }

    @Test
    public void failedReuseGivesTheServerBackToItsVm() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        driver.stop("vm-1");
        cloud.nextStartConflicts = true;
        String message = failure(() -> driver.deploy(SERVICE, "vm-2"));
        assertTrue(message, message.contains("conflict"));
        assertEquals(List.of("vm-1"), driver.list().stream().map(VmInstance::id).toList());
        driver.resume("vm-1");
        assertEquals(VmState.RUNNING, driver.list().get(0).state());
    }

    @Test
    public void buildErrorReportsTheFaultAndLeavesNothing() {
        cloud.nextBuildFault = "No valid host was found. There are not enough hosts available.";
        NovaVmDriver driver = driver();
        String message = failure(() -> driver.deploy(SERVICE, "vm-1"));
        assertTrue(message, message.contains("ERROR"));
        assertTrue(message, message.contains("No valid host was found"));
        assertTrue("the failed server is deleted", cloud.servers.isEmpty());
    }

    @Test
    public void buildTimeoutLeavesNothing() {
        cloud.nextBuildHangs = true;
        NovaVmDriver driver = new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 4, Duration.ofMillis(400),
                Duration.ofSeconds(5), Map.of()), clock);
        String message = failure(() -> driver.deploy(SERVICE, "vm-1"));
        assertTrue(message, message.contains("still BUILD after 400 ms"));
        assertTrue(cloud.servers.isEmpty());
    }

    @Test
    public void unreachableCloudTimesOut() {
        NovaVmDriver driver = new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 4, Duration.ofSeconds(10),
                Duration.ofMillis(300), Map.of()), clock);
        cloud.delayMillis = 1500;
        long start = System.nanoTime();
        String message = failure(() -> driver.deploy(SERVICE, "vm-1"));
        assertTrue(message, message.contains("did not answer within 300 ms"));
        assertTrue("gave up after the request timeout", System.nanoTime() - start < 1_400_000_000L);
        DriverStatus status = driver.status();
        assertFalse(status.reachable());
        assertTrue(status.detail().contains("did not answer"));
    }

    @Test
    public void aCloudThatDidNotAnswerIsNotAskedAgainBeforeTheRetryInterval() throws Exception {
        NovaVmDriver driver = new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 4, Duration.ofSeconds(10),
                Duration.ofMillis(300), Map.of()), clock);
        cloud.delayMillis = 1500;
        assertTrue(failure(() -> driver.deploy(SERVICE, "vm-1")).contains("did not answer within 300 ms"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cloud.requests.isEmpty()) { // the hung request reaches the fake's log once its delay is over
            assertTrue("the fake never logged the request", System.nanoTime() < deadline);
            Thread.sleep(10);
        }
        int asked = cloud.requests.size();

        // the cloud would answer now, but within the interval nobody waits for it: the last failure, at once
        cloud.delayMillis = 0;
        clock.now = clock.now.plusSeconds(10);
        DriverStatus status = driver.status();
        assertFalse(status.reachable());
        assertTrue(status.detail(), status.detail().contains("did not answer within 300 ms")
                && status.detail().contains("[no answer 10 s ago: not asked again for 30 s]"));
        assertTrue(failure(() -> driver.deploy(SERVICE, "vm-1")).contains("[no answer 10 s ago:"));
        assertEquals("nothing was sent to the cloud", asked, cloud.requests.size());

        clock.now = clock.now.plusSeconds(CloudSession.RETRY_UNREACHABLE.toSeconds());
        assertTrue(driver.status().reachable());
        assertEquals("vm-1", driver.deploy(SERVICE, "vm-1").id());
    }

    @Test
    public void maximumNumberOfRemoteVms() throws Exception {
        NovaVmDriver driver = new NovaVmDriver(settings(FakeOpenStack.PASSWORD, 2, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Map.of()), clock);
        driver.deploy(SERVICE, "vm-1");
        driver.deploy(SERVICE, "vm-2");
        String message = failure(() -> driver.deploy(GATEWAY, "vm-3"));
        assertTrue(message, message.contains("maximum of 2 remote VMs"));
        assertEquals(2, cloud.servers.size());
        driver.stop("vm-1");
        assertEquals("a stopped VM of the template is reused even at the maximum", "vm-3",
                driver.deploy(SERVICE, "vm-3").id());
        assertEquals(2, cloud.servers.size());
    }

    @Test
    public void capacityFromNovaLimits() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        HostCapacity c = driver.capacity();
        assertEquals(20, c.vcpus());
        assertEquals(51200, c.memoryMiB());
        assertEquals("4 VMs × the largest flavor's disk (160 GiB)", 4L * 160 * 1024, c.storageMiB());
        assertEquals("m1.tiny's disk", 1024, c.reservedStorageMiB());
    }

    @Test
    public void statusWhenReachable() throws Exception {
        NovaVmDriver driver = driver();
        driver.deploy(SERVICE, "vm-1");
        DriverStatus status = driver.status();
        assertTrue(status.detail(), status.reachable());
        assertEquals(cloud.authUrl(), status.endpoint());
        assertTrue(status.detail(), status.detail().contains("1 of at most 4 remote VMs"));
        assertTrue(status.detail(), status.detail().contains(cloud.computeUrl()));
        assertFalse(status.toString().contains(FakeOpenStack.PASSWORD));
    }

    @Test
    public void notConfigured() throws Exception {
        NovaVmDriver driver = new NovaVmDriver(OpenStackSettings.of("", "", "", "", "", "", 4, 3600, 2000, 300, 30,
                new String[0]), clock);
        DriverStatus status = driver.status();
        assertFalse(status.reachable());
        assertEquals("(not configured)", status.endpoint());
        assertTrue(status.detail().contains("no OpenStack cloud configured"));
        assertTrue(driver.list().isEmpty());
        assertTrue(failure(() -> driver.deploy(SERVICE, "vm-1")).contains("No OpenStack cloud is configured"));
        assertEquals(List.of(), driver.destroyIdle());
        assertTrue("nothing was asked of any cloud", cloud.requests.isEmpty());
    }

    @Test
    public void computeEndpointFollowsTheRegion() throws Exception {
        OpenStackSettings other = new OpenStackSettings(cloud.authUrl(), FakeOpenStack.USER, FakeOpenStack.PASSWORD,
                FakeOpenStack.PROJECT, "Default", "RegionNine", 4, Duration.ofMinutes(10), Duration.ofMillis(20),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Map.of(), List.of());
        String message = failure(() -> new NovaVmDriver(other, clock).list());
        assertTrue(message, message.contains("no public compute (Nova) endpoint in region 'RegionNine'"));
        assertNotEquals(0, cloud.authentications.get());
    }
}
