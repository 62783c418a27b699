package org.betaas.service.instance.internal.peers;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.PeerGateway;
import org.junit.Test;

public class PeerViewTest {

    private final PeerView view = new PeerView("gw-1", Duration.ofSeconds(15), Duration.ofSeconds(5),
            Duration.ofMinutes(10), new TrustModel());

    private static GatewayStatus status(String id, String session, boolean online, Map<String, Double> opinions) {
        return new GatewayStatus(id, "0.1.0", online, session, null, null, List.of(), null, null, false, opinions, null, 0);
    }

    @Test
    public void aPeerIsOnlineFromItsFirstStatusAndOfflineAfterTheKeepAlive() {
        Optional<Transition> t = view.onStatus(status("gw-2", "s", true, Map.of()), 1_000);
        assertTrue(t.isPresent() && t.get().online());
        assertTrue(view.tick(16_000).isEmpty());
        List<Transition> down = view.tick(16_001);
        assertEquals(1, down.size());
        assertFalse(down.get(0).online());
        assertFalse(view.isOnline("gw-2"));
        assertTrue("back online", view.onStatus(status("gw-2", "s", true, Map.of()), 20_000).get().online());
    }

    @Test
    public void regularStatusesKeepAPeerOnlineAndFullyTrusted() {
        for (long t = 0; t <= 60_000; t += 5_000) {
            view.onStatus(status("gw-2", "s", true, Map.of()), t);
            assertTrue(view.tick(t + 4_000).isEmpty());
        }
        assertEquals(1.0, view.trust("gw-2", 64_000), 1e-9);
    }

    @Test
    public void aSilentPeerLosesTrustWithEveryMissedHeartbeat() {
        view.onStatus(status("gw-2", "s", true, Map.of()), 0);
        double before = view.trust("gw-2", 4_000);
        double after20s = view.trust("gw-2", 20_000);
        double after60s = view.trust("gw-2", 60_000);
        assertTrue(after20s < before);
        assertTrue(after60s < after20s);
        assertEquals(11, view.peers(60_000).get(0).missedHeartbeats());
    }

    @Test
    public void missedHeartbeatsAreRememberedAfterThePeerComesBack() {
        view.onStatus(status("gw-2", "s", true, Map.of()), 0);
        view.onStatus(status("gw-2", "s", true, Map.of()), 30_000);
        assertEquals(5, view.peers(31_000).get(0).missedHeartbeats());
        assertTrue(view.trust("gw-2", 31_000) < 1.0);
        // outside the 10 min window they are forgotten
        for (long t = 35_000; t <= 700_000; t += 5_000) {
            view.onStatus(status("gw-2", "s", true, Map.of()), t);
        }
        assertEquals(1.0, view.trust("gw-2", 700_000), 1e-9);
    }

    @Test
    public void aLastWillOfTheCurrentSessionTakesThePeerOfflineAndCountsAsNetworkTrouble() {
        view.onStatus(status("gw-2", "s2", true, Map.of()), 0);
        assertEquals(PeerView.OfflineOutcome.STALE_SESSION, view.onOffline("gw-2", "s1", true, 1_000));
        assertTrue(view.isOnline("gw-2"));
        assertEquals(PeerView.OfflineOutcome.WENT_OFFLINE, view.onOffline("gw-2", "s2", true, 1_000));
        assertFalse(view.isOnline("gw-2"));
        assertTrue(view.trust("gw-2", 1_000) < 1.0);
        assertEquals(PeerView.OfflineOutcome.NO_CHANGE, view.onOffline("gw-2", "s2", true, 1_500));
    }

    @Test
    public void aCleanLeaveIsNotHeldAgainstThePeer() {
        view.onStatus(status("gw-2", "s", true, Map.of()), 0);
        Optional<Transition> t = view.onStatus(status("gw-2", "s", false, Map.of()), 1_000);
        assertTrue(t.isPresent() && !t.get().online());
        assertEquals(1.0, view.trust("gw-2", 1_000), 1e-9);
    }

    @Test
    public void failedRequestsAndBadReputationLowerTrust() {
        view.onStatus(status("gw-2", "s", true, Map.of()), 0);
        view.requestOutcome("gw-2", false, 100);
        double afterFailure = view.trust("gw-2", 200);
        assertTrue(afterFailure < 1.0);
        view.onStatus(status("gw-3", "s", true, Map.of("gw-2", 0.1)), 300);
        assertTrue(view.trust("gw-2", 400) < afterFailure);
    }

    @Test
    public void aDismissedPeerIsListedWithNoTrustAndIgnored() {
        view.onStatus(status("gw-2", "s", true, Map.of()), 0);
        view.dismiss("gw-2");
        assertTrue(view.onStatus(status("gw-2", "s", true, Map.of()), 1_000).isEmpty());
        PeerGateway p = view.peers(1_000).get(0);
        assertTrue(p.dismissed());
        assertFalse(p.online());
        assertEquals(0.0, p.trust(), 0);
        assertFalse(view.opinions(1_000).containsKey("gw-2"));
    }

    @Test
    public void thisGatewaysOwnStatusIsNotAPeer() {
        assertTrue(view.onStatus(status("gw-1", "s", true, Map.of()), 0).isEmpty());
        assertTrue(view.peers(0).isEmpty());
    }

    @Test(expected = IllegalArgumentException.class)
    public void aStatusPeriodLongerThanTheKeepAliveIsRefused() {
        new PeerView("gw-1", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(1), new TrustModel());
    }
}
