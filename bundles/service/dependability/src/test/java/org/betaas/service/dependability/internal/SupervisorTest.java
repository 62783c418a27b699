package org.betaas.service.dependability.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.junit.Test;

public class SupervisorTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records attempts; can be told to fail or to resolve. */
    static final class FakeRecoverer implements Recoverer {
        final List<String> calls = new ArrayList<>();
        boolean fail;
        boolean resolve;

        @Override
        public Attempt recover(Failure failure, int attempt) throws Exception {
            calls.add(failure.subject() + "#" + attempt);
            if (fail) {
                throw new Exception("boom");
            }
            return resolve ? new Attempt("re-placed", true, "replaced by vm-2") : Attempt.pending("restart");
        }

        @Override
        public String noteAction(Failure failure) {
            return "left to the Instance Manager";
        }
    }

    private final ManualClock clock = new ManualClock();
    private final MemoryIncidentStore store = new MemoryIncidentStore(1000);
    private final FakeRecoverer recoverer = new FakeRecoverer();
    private final RecoveryPolicy policy = new RecoveryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(12));
    private final Supervisor supervisor = new Supervisor(clock, policy, store, recoverer);

    private static final Failure COMP = new Failure(SubjectKind.COMPONENT, "org.betaas.x", "FAILED ACTIVATION", true);

    private void tick(Duration d, Failure... failing) {
        clock.advance(d);
        supervisor.observe(SubjectKind.COMPONENT, List.of(failing));
    }

    @Test
    public void backoffDoublesAndIsCapped() {
        assertEquals(Duration.ofSeconds(5), policy.delayBefore(1));
        assertEquals(Duration.ofSeconds(10), policy.delayBefore(2));
        assertEquals(Duration.ofSeconds(12), policy.delayBefore(3));
        assertEquals(Duration.ofSeconds(12), policy.delayBefore(30));
    }

    @Test
    public void shortBlipLeavesNoIncident() {
        tick(Duration.ZERO, COMP);
        tick(Duration.ofSeconds(3));
        assertTrue(recoverer.calls.isEmpty());
        assertTrue(store.recent(10).isEmpty());
    }

    @Test
    public void actsAfterInitialDelayThenRecordsRecovery() {
        tick(Duration.ZERO, COMP);
        tick(Duration.ofSeconds(4), COMP);
        assertTrue(recoverer.calls.isEmpty());
        tick(Duration.ofSeconds(1), COMP);
        assertEquals(List.of("org.betaas.x#1"), recoverer.calls);
        Incident i = store.recent(10).get(0);
        assertEquals(Incident.RECOVERING, i.outcome());
        assertEquals("restart", i.action());
        assertEquals(1, i.attempts());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), i.time());
        tick(Duration.ofSeconds(1));
        i = store.recent(10).get(0);
        assertEquals(Incident.RECOVERED, i.outcome());
        assertEquals(1, store.recent(10).size());
    }

    @Test
    public void boundedRetriesWithBackoffThenGivesUp() {
        tick(Duration.ZERO, COMP);
        tick(Duration.ofSeconds(5), COMP);      // attempt 1 at t=5
        tick(Duration.ofSeconds(9), COMP);      // t=14: before t=15
        assertEquals(1, recoverer.calls.size());
        tick(Duration.ofSeconds(1), COMP);      // t=15: attempt 2
        assertEquals(2, recoverer.calls.size());
        tick(Duration.ofSeconds(12), COMP);     // t=27: attempt 3 (capped delay 12)
        assertEquals(3, recoverer.calls.size());
        tick(Duration.ofSeconds(12), COMP);     // t=39: gives up
        tick(Duration.ofSeconds(100), COMP);
        assertEquals(3, recoverer.calls.size());
        Incident i = store.recent(10).get(0);
        assertEquals(Incident.GAVE_UP, i.outcome());
        assertEquals(3, i.attempts());
        tick(Duration.ofSeconds(1));
        assertTrue(store.recent(10).get(0).outcome().startsWith(Incident.RECOVERED));
    }

    @Test
    public void aRecoveryThatKeepsFailingStopsAfterTheBoundWithAFinalGaveUpIncident() {
        List<Instant> attemptsAt = new ArrayList<>();
        Supervisor s = new Supervisor(clock, policy, store, (f, attempt) -> {
            attemptsAt.add(clock.instant());
            throw new Exception("resume failed");
        });
        Instant start = clock.instant();
        for (int second = 0; second <= 120; second++) {
            s.observe(SubjectKind.COMPONENT, List.of(COMP));
            clock.advance(Duration.ofSeconds(1));
        }
        // 3 attempts at t = 5, 15 (10 s later), 27 (capped at 12 s), then nothing more
        assertEquals(List.of(start.plusSeconds(5), start.plusSeconds(15), start.plusSeconds(27)), attemptsAt);
        assertEquals(1, store.recent(10).size());
        Incident i = store.recent(10).get(0);
        assertEquals(Incident.GAVE_UP, i.outcome());
        assertEquals(3, i.attempts());
        assertEquals("FAILED ACTIVATION", i.what());
        assertEquals(start, i.time());
        assertEquals(start.plusSeconds(39), i.updated());
        assertTrue(i.action(), i.action().contains("resume failed"));
        Supervisor.Episode e = s.episodes().get(COMP.key());
        assertEquals(3, e.attempts());
        assertEquals(null, e.nextAttempt());
    }

    @Test
    public void maxAttemptsZeroRecordsAGaveUpIncidentWithoutActing() {
        Supervisor s = new Supervisor(clock, new RecoveryPolicy(0, Duration.ofSeconds(5), Duration.ofSeconds(5)),
                store, recoverer);
        s.observe(SubjectKind.COMPONENT, List.of(COMP));
        clock.advance(Duration.ofSeconds(5));
        s.observe(SubjectKind.COMPONENT, List.of(COMP));
        assertTrue(recoverer.calls.isEmpty());
        assertEquals(Incident.GAVE_UP, store.recent(10).get(0).outcome());
        assertEquals("none (maxAttempts = 0)", store.recent(10).get(0).action());
    }

    @Test
    public void anAttemptThatFindsTheFailureOverRecordsNothing() {
        List<Integer> attempts = new ArrayList<>();
        Supervisor s = new Supervisor(clock, policy, store, (f, attempt) -> {
            attempts.add(attempt);
            return null;
        });
        s.observe(SubjectKind.VM, List.of(new Failure(SubjectKind.VM, "vm-1", "VANISHED", true)));
        clock.advance(Duration.ofSeconds(5));
        s.observe(SubjectKind.VM, List.of(new Failure(SubjectKind.VM, "vm-1", "VANISHED", true)));
        assertEquals(List.of(1), attempts);
        assertEquals(0, (int) s.episodes().get("VM:vm-1").attempts());
        clock.advance(Duration.ofSeconds(1));
        s.observe(SubjectKind.VM, List.of());
        assertTrue(store.recent(10).isEmpty());
        assertTrue(s.episodes().isEmpty());
    }

    @Test
    public void failedAttemptIsRecordedAndRetried() {
        recoverer.fail = true;
        tick(Duration.ZERO, COMP);
        tick(Duration.ofSeconds(5), COMP);
        Incident i = store.recent(10).get(0);
        assertTrue(i.action(), i.action().contains("boom"));
        assertEquals(Incident.RECOVERING, i.outcome());
        recoverer.fail = false;
        tick(Duration.ofSeconds(10), COMP);
        assertEquals(2, recoverer.calls.size());
        assertEquals("restart", store.recent(10).get(0).action());
    }

    @Test
    public void resolvedAttemptEndsEpisodeWithoutMoreActions() {
        recoverer.resolve = true;
        tick(Duration.ZERO, COMP);
        tick(Duration.ofSeconds(5), COMP);
        tick(Duration.ofSeconds(60), COMP);
        assertEquals(1, recoverer.calls.size());
        assertEquals("replaced by vm-2", store.recent(10).get(0).outcome());
        tick(Duration.ofSeconds(1));
        assertEquals("replaced by vm-2", store.recent(10).get(0).outcome());
    }

    @Test
    public void notedFailuresAreRecordedAtOnceAndNeverActedOn() {
        Failure peer = new Failure(SubjectKind.PEER, "gw-2", "offline", false);
        supervisor.observe(SubjectKind.PEER, List.of(peer));
        clock.advance(Duration.ofMinutes(5));
        supervisor.observe(SubjectKind.PEER, List.of(peer));
        assertTrue(recoverer.calls.isEmpty());
        Incident i = store.recent(10).get(0);
        assertEquals("left to the Instance Manager", i.action());
        assertEquals(Incident.NOTED, i.outcome());
        supervisor.observe(SubjectKind.PEER, List.of());
        assertEquals(Incident.NOTED + "; back online", store.recent(10).get(0).outcome());
    }

    @Test
    public void observingOneKindLeavesOtherKindsOpen() {
        tick(Duration.ZERO, COMP);
        tick(Duration.ofSeconds(5), COMP);
        supervisor.observe(SubjectKind.VM, List.of());
        assertEquals(Incident.RECOVERING, store.recent(10).get(0).outcome());
    }

    @Test
    public void aFailureThatChangesShapeIsToldInTheIncidentAndActedOnAsItIsNow() {
        Failure shutOff = new Failure(SubjectKind.VM, "vm-1", "shut off", true);
        Failure vanished = new Failure(SubjectKind.VM, "vm-1", "VANISHED", true);
        List<Failure> seen = new ArrayList<>();
        Supervisor s = new Supervisor(clock, policy, store, (f, attempt) -> {
            seen.add(f);
            return Recoverer.Attempt.pending("x");
        });
        s.observe(SubjectKind.VM, List.of(shutOff));
        clock.advance(Duration.ofSeconds(5));
        s.observe(SubjectKind.VM, List.of(shutOff));
        clock.advance(Duration.ofSeconds(1));
        s.observe(SubjectKind.VM, List.of(vanished));
        assertEquals("shut off, then VANISHED", store.recent(1).get(0).what());
        clock.advance(Duration.ofSeconds(10));
        s.observe(SubjectKind.VM, List.of(vanished));
        assertEquals("VANISHED", seen.get(seen.size() - 1).what());
    }

    @Test
    public void historyIsBounded() {
        MemoryIncidentStore small = new MemoryIncidentStore(2);
        for (int i = 0; i < 5; i++) {
            small.save(new Incident(small.nextId(), clock.now, SubjectKind.VM, "vm" + i, "FAILED", "a", "o", 1,
                    clock.now));
        }
        assertEquals(2, small.recent(10).size());
        assertEquals("vm4", small.recent(10).get(0).subject());
    }
}
