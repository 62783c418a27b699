package org.betaas.service.dependability.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery state machine, without OSGi: fed with what is failing now (per kind of subject), it decides when
 * to act on each failure under the {@link RecoveryPolicy}, asks the {@link Recoverer} to act and records one
 * {@link Incident} per failure episode, updated as attempts are made and when the episode ends.
 * <p>
 * A failure that ends before its first attempt is due leaves no incident (a refresh, a restart in progress).
 * Failures that are only noted ({@link Failure#act()} false) are recorded at once. Not thread-safe: call from
 * one thread.
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final Clock clock;
    private final RecoveryPolicy policy;
    private final IncidentStore store;
    private final Recoverer recoverer;
    private final Map<String, Track> tracks = new LinkedHashMap<>();

    private static final class Track {
        Failure failure;
        final Instant firstSeen;
        Instant nextAttempt;
        int attempts;
        Incident incident;
        boolean done;

        Track(Failure failure, Instant firstSeen, Instant nextAttempt) {
            this.failure = failure;
            this.firstSeen = firstSeen;
            this.nextAttempt = nextAttempt;
        }
    }

    Supervisor(Clock clock, RecoveryPolicy policy, IncidentStore store, Recoverer recoverer) {
        this.clock = clock;
        this.policy = policy;
        this.store = store;
        this.recoverer = recoverer;
    }

    /**
     * One observation of every subject of {@code kind}: {@code failing} lists those failing now; open episodes of
     * that kind whose subject is not in it are over.
     */
    void observe(SubjectKind kind, Collection<Failure> failing) {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (Failure f : failing) {
            if (f.kind() != kind) {
                continue;
            }
            seen.add(f.key());
            Track t = tracks.get(f.key());
            if (t == null) {
                t = new Track(f, now, now.plus(policy.delayBefore(1)));
                tracks.put(f.key(), t);
                if (!f.act()) {
                    t.incident = newIncident(f, now, recoverer.noteAction(f), Incident.NOTED);
                    store.save(t.incident);
                    t.done = true;
                }
            }
            if (!f.what().equals(t.failure.what())) {
                // the failure changed its shape (a VM shut off, then vanished): the incident tells both
                t.failure = f;
                if (t.incident != null && !t.incident.what().endsWith(f.what())) {
                    Incident i = t.incident;
                    t.incident = new Incident(i.id(), i.time(), i.kind(), i.subject(), i.what() + ", then " + f.what(),
                            i.action(), i.outcome(), i.attempts(), now);
                    store.save(t.incident);
                }
            }
            if (!t.done) {
                step(t, now);
            }
        }
        for (Iterator<Map.Entry<String, Track>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Track t = it.next().getValue();
            if (t.failure.kind() != kind || seen.contains(t.failure.key())) {
                continue;
            }
            it.remove();
            if (t.incident == null) {
                continue;
            }
            if (!t.failure.act()) {
                t.incident = t.incident.with(t.incident.action(), Incident.NOTED
                        + (kind == SubjectKind.PEER ? "; back online" : "; over"), 0, now);
                store.save(t.incident);
            } else if (!t.done || Incident.GAVE_UP.equals(t.incident.outcome())) {
                String outcome = Incident.GAVE_UP.equals(t.incident.outcome())
                        ? Incident.RECOVERED + " by itself after the manager gave up" : Incident.RECOVERED;
                t.incident = t.incident.with(t.incident.action(), outcome, t.attempts, now);
                store.save(t.incident);
            }
        }
    }

    private void step(Track t, Instant now) {
        if (now.isBefore(t.nextAttempt)) {
            return;
        }
        if (t.attempts >= policy.maxAttempts()) {
            t.done = true;
            String action = t.incident == null ? "none (maxAttempts = 0)" : t.incident.action();
            if (t.incident == null) {
                t.incident = newIncident(t.failure, t.firstSeen, action, Incident.GAVE_UP);
            }
            t.incident = t.incident.with(action, Incident.GAVE_UP, t.attempts, now);
            store.save(t.incident);
            return;
        }
        t.attempts++;
        String action;
        String outcome = Incident.RECOVERING;
        boolean resolved = false;
        try {
            Recoverer.Attempt a = recoverer.recover(t.failure, t.attempts);
            if (a == null) {
                // the failure was over by the time the attempt was due: nothing done, the next look ends it
                t.attempts--;
                return;
            }
            action = a.action();
            if (a.resolved()) {
                resolved = true;
                outcome = a.outcome() == null ? Incident.RECOVERED : a.outcome();
            }
        } catch (Exception e) {
            action = "attempt " + t.attempts + " failed: " + e.getMessage();
            LOG.warn("Dependability: recovering {} {} ({}) failed at attempt {}: {}", t.failure.kind(),
                    t.failure.subject(), t.failure.what(), t.attempts, e.toString());
        }
        if (t.incident == null) {
            t.incident = newIncident(t.failure, t.firstSeen, action, outcome);
        }
        t.incident = t.incident.with(action, outcome, t.attempts, now);
        store.save(t.incident);
        t.done = resolved;
        t.nextAttempt = now.plus(policy.delayBefore(t.attempts + 1));
    }

    private Incident newIncident(Failure f, Instant time, String action, String outcome) {
        return new Incident(store.nextId(), time, f.kind(), f.subject(), f.what(), action, outcome, 0, time);
    }

    /**
     * The failure episode under way of one subject.
     *
     * @param attempts    attempts made
     * @param nextAttempt when the next one is due; null when none will be made (only noted, resolved, gave up)
     */
    record Episode(int attempts, Instant nextAttempt) {
    }

    /** Episodes under way per subject key ({@link Failure#key()}). */
    Map<String, Episode> episodes() {
        Map<String, Episode> m = new HashMap<>();
        tracks.forEach((k, t) -> m.put(k, new Episode(t.attempts, t.done ? null : t.nextAttempt)));
        return m;
    }

    /** Open episodes per subject key, for tests and diagnostics. */
    Map<String, Integer> attempts() {
        Map<String, Integer> m = new HashMap<>();
        tracks.forEach((k, t) -> m.put(k, t.attempts));
        return m;
    }
}
