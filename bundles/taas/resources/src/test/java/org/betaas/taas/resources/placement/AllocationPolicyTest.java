package org.betaas.taas.resources.placement;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.placement.PlacementDecision.Local;
import org.betaas.api.placement.PlacementDecision.Rejected;
import org.betaas.api.placement.PlacementDecision.Remote;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;
import org.junit.Test;

/** One test (at least) per rule of the BETaaS allocation algorithm. */
public class AllocationPolicyTest {

    static final VmTemplate SERVICE = template("service", VmKind.SERVICE, VmWeight.LIGHT, 1, 512, 1024);
    static final VmTemplate SERVICE_HEAVY = template("service-heavy", VmKind.SERVICE, VmWeight.HEAVY, 2, 1024, 2048);
    static final VmTemplate STORAGE = template("bigdata-storage", VmKind.BIGDATA_STORAGE, VmWeight.LIGHT, 1, 1024, 8192);
    static final VmTemplate COMPUTE = template("bigdata-compute", VmKind.BIGDATA_COMPUTE, VmWeight.HEAVY, 4, 4096, 4096);
    static final List<VmTemplate> REGISTERED = List.of(SERVICE, SERVICE_HEAVY, STORAGE, COMPUTE);

    static final RemoteCloud CLOUD = new RemoteCloud("openstack", true, true, 10, 0);
    static final RemoteCloud UNREACHABLE = new RemoteCloud("openstack", true, false, 10, 0);
    static final RemoteCloud FULL_CLOUD = new RemoteCloud("openstack", true, true, 3, 3);

    private final AllocationPolicy policy = new AllocationPolicy(PolicySettings.DEFAULTS);

    static VmTemplate template(String name, VmKind kind, VmWeight weight, int vcpus, long memory, long disk) {
        return new VmTemplate(name, kind, vcpus, memory, disk, Set.of("x86_64"), name + ".img", weight);
    }

    /** A trusted x86_64 gateway with the given capacity, nothing reserved and no background use. */
    static GatewayCandidate gateway(String id, double vcpus, double memory, double power) {
        return new GatewayCandidate(id, "x86_64", true, 1.0, power, 0, new Resources(vcpus, memory, 100_000),
                Resources.NONE, Resources.NONE, Resources.NONE);
    }

    static GatewayCandidate withReserved(GatewayCandidate g, int vms, Resources reserved) {
        return new GatewayCandidate(g.gatewayId(), g.architecture(), g.virtualization(), g.trust(), g.power(), vms,
                g.capacity(), reserved, g.forecast(), g.forecastUpper());
    }

    static GatewayCandidate withForecast(GatewayCandidate g, Resources point, Resources upper) {
        return new GatewayCandidate(g.gatewayId(), g.architecture(), g.virtualization(), g.trust(), g.power(),
                g.vmsRunning(), g.capacity(), g.reserved(), point, upper);
    }

    static GatewayCandidate withTrust(GatewayCandidate g, double trust) {
        return new GatewayCandidate(g.gatewayId(), g.architecture(), g.virtualization(), trust, g.power(),
                g.vmsRunning(), g.capacity(), g.reserved(), g.forecast(), g.forecastUpper());
    }

    private PlacementDecision decide(VmTemplate t, List<GatewayCandidate> gateways, RemoteCloud... clouds) {
        return policy.decide(PlacementRequest.of(t, "test", REGISTERED), gateways, List.of(clouds));
    }

    private static String gatewayOf(PlacementDecision d) {
        assertTrue(d.reasons().toString(), d instanceof Local);
        return ((Local) d).gatewayId();
    }

    @Test
    public void localFirstEvenWhenTheRemoteCloudHasRoom() {
        PlacementDecision d = decide(SERVICE, List.of(gateway("gw-1", 2, 2048, 2)), CLOUD);
        assertEquals("gw-1", gatewayOf(d));
        assertEquals(Rule.LOCAL_FIRST, Rule.of(d));
    }

    @Test
    public void remoteOnlyWhenNoGatewayCanHostIt() {
        PlacementDecision d = decide(SERVICE_HEAVY, List.of(gateway("gw-1", 1, 512, 1)), CLOUD);
        assertTrue(d instanceof Remote);
        assertEquals("openstack", ((Remote) d).cloud());
        assertEquals(Rule.REMOTE_WHEN_FULL, Rule.of(d));
    }

    @Test
    public void remoteLimitReachedRejectsWithTheReason() {
        PlacementDecision d = decide(SERVICE_HEAVY, List.of(gateway("gw-1", 1, 512, 1)), FULL_CLOUD);
        assertTrue(d instanceof Rejected);
        assertTrue(((Rejected) d).reason(), ((Rejected) d).reason().contains("at its limit of 3 VMs"));
        assertEquals(Rule.REMOTE_UNAVAILABLE, Rule.of(d));
    }

    @Test
    public void noRemoteConfiguredAndNoRoomRejects() {
        PlacementDecision d = decide(SERVICE_HEAVY, List.of(gateway("gw-1", 1, 512, 1)), RemoteCloud.none());
        assertTrue(d instanceof Rejected);
        assertTrue(((Rejected) d).reason(), ((Rejected) d).reason().contains("no remote cloud is configured"));
    }

    @Test
    public void remoteUnreachableAndLocalImpossibleIsCancelledWithTheReason() {
        PlacementDecision d = decide(SERVICE_HEAVY, List.of(gateway("gw-1", 1, 512, 1)), UNREACHABLE);
        assertTrue(d instanceof Rejected);
        assertTrue(((Rejected) d).reason(), ((Rejected) d).reason().contains("openstack is unreachable"));
    }

    @Test
    public void remoteUnreachableButLocalPossibleStaysLocal() {
        // a computation node would go remote (no powerful gateway), but the cloud is unreachable: local it is
        PlacementDecision d = decide(COMPUTE, List.of(gateway("small", 4, 8192, 2)), UNREACHABLE);
        assertEquals("small", gatewayOf(d));
        assertTrue(d.reasons().toString(), d.reasons().contains("Remote cloud openstack: unreachable"));
        assertTrue(d.reasons().toString(), d.reasons().stream().anyMatch(r -> r.contains("staying local")));
    }

    @Test
    public void bigDataComputationGoesRemoteWhenNoPowerfulGatewayCanTakeIt() {
        List<GatewayCandidate> gws = List.of(gateway("board-1", 4, 8192, 2), gateway("board-2", 4, 8192, 2));
        PlacementDecision d = decide(COMPUTE, gws, CLOUD);
        assertTrue(d.reasons().toString(), d instanceof Remote);
        assertEquals(Rule.BIGDATA_COMPUTE_REMOTE, Rule.of(d));
        // the same gateways take a storage node locally: their capacity was left for it
        assertTrue(decide(STORAGE, gws, CLOUD) instanceof Local);
    }

    @Test
    public void bigDataComputationStaysOnAPowerfulGateway() {
        List<GatewayCandidate> gws = List.of(gateway("board", 4, 8192, 2), gateway("server", 8, 16384, 8));
        PlacementDecision d = decide(COMPUTE, gws, CLOUD);
        assertEquals("server", gatewayOf(d));
    }

    @Test
    public void storageAndLightBeforeComputationAndHeavyUnderShortage() {
        // gw-a and gw-b: every vCPU reserved; with gw-c, 13 vCPU in all and 10.8 reserved: after a heavy VM
        // (2 vCPU) 0.2 vCPU, under 10 % (the default shortage level), would be left: the instance runs short
        GatewayCandidate a = withReserved(gateway("gw-a", 5, 5120, 4), 4, new Resources(5, 4096, 0));
        GatewayCandidate b = withReserved(gateway("gw-b", 5, 5120, 4), 4, new Resources(5, 4096, 0));
        List<GatewayCandidate> gws = List.of(a, b);
        PlacementDecision heavy = decide(SERVICE_HEAVY, List.of(gateway("gw-a", 5, 5120, 4)), CLOUD);
        assertTrue("not short: heavy stays local", heavy instanceof Local);

        GatewayCandidate roomy = gateway("gw-c", 3, 3072, 4);
        gws = List.of(a, b, withReserved(roomy, 1, new Resources(0.8, 512, 0)));
        PlacementDecision shortHeavy = decide(SERVICE_HEAVY, gws, CLOUD);
        assertTrue(shortHeavy.reasons().toString(), shortHeavy instanceof Remote);
        assertEquals(Rule.PRIORITY_UNDER_SHORTAGE, Rule.of(shortHeavy));
        // the light VM and the storage node get the local room under the same shortage
        assertTrue(decide(SERVICE, gws, CLOUD) instanceof Local);
        assertTrue(decide(STORAGE, gws, CLOUD) instanceof Local);
        // without a usable cloud the heavy VM is not refused: it stays local
        PlacementDecision noCloud = decide(SERVICE_HEAVY, gws, UNREACHABLE);
        assertEquals("gw-c", gatewayOf(noCloud));
    }

    @Test
    public void roomIsKeptForTheMostExpensiveTemplate() {
        // the paper's example: A is free, B already runs VMs; B cannot host bigdata-compute but can host this one
        // A is the more powerful: without the rule it would be chosen
        GatewayCandidate a = gateway("A", 8, 8192, 8);
        GatewayCandidate b = withReserved(gateway("B", 8, 8192, 4), 2, new Resources(5, 5120, 0));
        PlacementDecision d = decide(SERVICE, List.of(a, b), CLOUD);
        assertEquals("B", gatewayOf(d));
        assertEquals(Rule.KEEP_ROOM_FOR_LARGEST, Rule.of(d));
        // A is still there for the most expensive template
        assertEquals("A", gatewayOf(decide(COMPUTE, List.of(a, b), CLOUD)));
    }

    @Test
    public void roomIsKeptWhenTheMostPowerfulGatewayWouldLoseIt() {
        // both can host bigdata-compute now; after a heavy service only "roomy" still could
        GatewayCandidate strong = gateway("strong", 5, 4608, 8);
        GatewayCandidate roomy = gateway("roomy", 8, 8192, 4);
        PlacementDecision d = decide(SERVICE_HEAVY, List.of(strong, roomy), CLOUD);
        assertEquals("roomy", gatewayOf(d));
        assertEquals(Rule.KEEP_ROOM_FOR_LARGEST, Rule.of(d));
    }

    @Test
    public void theMostPowerfulGatewayWhenNothingElseSeparatesThem() {
        List<GatewayCandidate> gws = List.of(gateway("gw-1", 16, 32768, 4), gateway("gw-2", 16, 32768, 12),
                gateway("gw-3", 16, 32768, 8));
        PlacementDecision d = decide(SERVICE, gws, CLOUD);
        assertEquals("gw-2", gatewayOf(d));
        assertEquals(Rule.MOST_POWERFUL, Rule.of(d));
    }

    @Test
    public void lowTrustGatewaysAreExcluded() {
        List<GatewayCandidate> gws = List.of(withTrust(gateway("shaky", 16, 32768, 16), 0.3),
                gateway("steady", 16, 32768, 4));
        PlacementDecision d = decide(SERVICE, gws, CLOUD);
        assertEquals("steady", gatewayOf(d));
        assertTrue(d.reasons().toString(), d.reasons().contains("shaky: dropped [low-trust] trust 0.30 below 0.50"));
        // the threshold is configurable
        AllocationPolicy lenient = new AllocationPolicy(new PolicySettings(0.2, 4, 0.2));
        PlacementDecision l = lenient.decide(PlacementRequest.of(SERVICE, "test", REGISTERED), gws, List.of(CLOUD));
        assertEquals("shaky", gatewayOf(l));
    }

    @Test
    public void gatewaysThatCannotRunTheTemplateAreDropped() {
        GatewayCandidate arm = new GatewayCandidate("arm", "aarch64", true, 1, 16, 0, new Resources(8, 8192, 1e5),
                Resources.NONE, Resources.NONE, Resources.NONE);
        GatewayCandidate noKvm = new GatewayCandidate("no-hv", "x86_64", false, 1, 16, 0, new Resources(8, 8192, 1e5),
                Resources.NONE, Resources.NONE, Resources.NONE);
        PlacementDecision d = decide(SERVICE, List.of(arm, noKvm, gateway("x86", 2, 2048, 1)), CLOUD);
        assertEquals("x86", gatewayOf(d));
        assertTrue(d.reasons().toString(), d.reasons().stream().anyMatch(r -> r.startsWith("arm: dropped [not-capable]")));
        assertTrue(d.reasons().toString(), d.reasons().stream().anyMatch(r -> r.startsWith("no-hv: dropped [not-capable]")));
    }

    @Test
    public void aGatewayWhereTheVmFitsUnderTheUpperBoundComesFirst() {
        // the point forecast leaves 1.5 GiB, the upper bound only 256 MiB: not enough for 512 MiB
        GatewayCandidate busy = withForecast(gateway("busy", 4, 2048, 16), new Resources(1, 512, 0),
                new Resources(2, 1792, 0));
        // "busy" is more powerful and the tighter fit: only the upper bound puts "calm" first
        PlacementDecision d = decide(SERVICE, List.of(busy, gateway("calm", 2, 4096, 1)), CLOUD);
        assertEquals("calm", gatewayOf(d));
        assertEquals(Rule.UPPER_BOUND_FIRST, Rule.of(d));
        String busyReason = d.reasons().stream().filter(r -> r.startsWith("busy:")).findFirst().orElseThrow();
        assertTrue(busyReason, busyReason.startsWith("busy: kept, fits only under the point forecast: predicted free"
                + " 3.0 vCPU, 1536 MiB"));
        assertTrue(busyReason, busyReason.contains("(2.0 vCPU, 256 MiB, 100000 MiB disk under the upper bound)"));
        assertTrue(busyReason, busyReason.contains("forecast use 1.0 vCPU (upper 2.0), 512 MiB (upper 1792)"));
    }

    @Test
    public void fittingOnlyUnderThePointForecastStillBeatsTheRemoteCloud() {
        GatewayCandidate busy = withForecast(gateway("busy", 4, 2048, 16), new Resources(1, 512, 0),
                new Resources(2, 1792, 0));
        PlacementDecision d = decide(SERVICE, List.of(busy), CLOUD);
        assertEquals("busy", gatewayOf(d));
        assertEquals(Rule.LOCAL_FIRST, Rule.of(d));
        assertTrue(d.reasons().toString(), d.reasons().get(d.reasons().size() - 1)
                .contains("fits under the point forecast, not under the upper bound"));
        // not even under the point forecast: dropped, and the VM goes remote
        GatewayCandidate full = withForecast(gateway("full", 4, 2048, 16), new Resources(1, 1792, 0),
                new Resources(2, 1900, 0));
        PlacementDecision r = decide(SERVICE, List.of(full), CLOUD);
        assertTrue(r.reasons().toString(), r instanceof Remote);
        assertTrue(r.reasons().toString(), r.reasons().stream()
                .anyMatch(x -> x.startsWith("full: dropped [no-room] predicted free 3.0 vCPU, 256 MiB")));
    }

    @Test
    public void packingTightlyKeepsWholeGatewaysFreeForTheLargest() {
        // both can host bigdata-compute before and after; "used" is the tighter fit, "whole" the more powerful
        GatewayCandidate whole = gateway("whole", 16, 16384, 12);
        GatewayCandidate used = withReserved(gateway("used", 16, 16384, 8), 1, new Resources(4, 4096, 4096));
        PlacementDecision d = decide(SERVICE, List.of(whole, used), CLOUD);
        assertEquals("used", gatewayOf(d));
        assertEquals(Rule.KEEP_ROOM_FOR_LARGEST, Rule.of(d));
        assertTrue(d.reasons().toString(), d.reasons().get(d.reasons().size() - 1).contains("used is the tightest fit"));
        // the most expensive template is packed the same way: "whole" keeps room for the next one
        assertEquals("used", gatewayOf(decide(COMPUTE, List.of(whole, used), CLOUD)));
    }

    @Test
    public void everyGatewayConsideredIsExplained() {
        List<GatewayCandidate> gws = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gws.add(gateway("gw-" + i, 1 + i % 4, 1024 * (1 + i % 3), 1 + i % 5));
        }
        PlacementDecision d = decide(SERVICE_HEAVY, gws, CLOUD);
        for (GatewayCandidate g : gws) {
            assertTrue(g.gatewayId(), d.reasons().stream().anyMatch(r -> r.startsWith(g.gatewayId() + ": ")));
        }
        assertTrue(d.reasons().get(d.reasons().size() - 1).startsWith(Rule.DECIDED_BY));
    }

    @Test
    public void decidingOverAThousandGatewaysIsFast() {
        List<GatewayCandidate> gws = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            gws.add(withReserved(gateway("gw-" + i, 4 + i % 5, 4096 + 512 * (i % 7), 1 + i % 9), i % 3,
                    new Resources(i % 4, 256 * (i % 9), 0)));
        }
        PlacementRequest request = PlacementRequest.of(SERVICE, "test", REGISTERED);
        for (int i = 0; i < 2000; i++) {
            policy.decide(request, gws, List.of(CLOUD));
        }
        int runs = 500;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            policy.decide(request, gws, List.of(CLOUD));
        }
        double millis = (System.nanoTime() - start) / 1e6 / runs;
        // generous bound against noisy CI machines; the JMH benchmark measures the real figure
        assertTrue("a decision took " + millis + " ms", millis < 5);
    }
}
