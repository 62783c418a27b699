package org.betaas.service.dependability.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.api.dependability.Watched;
import org.betaas.api.dependability.WatchedSubject;

/**
 * What the Dependability Manager saw at its last look, per subject: fed by the polling thread one kind at a time,
 * published as one immutable {@link Watched} at the end of each look, read from any thread.
 */
final class WatchBook {

    /**
     * One subject as a look found it.
     *
     * @param lastProgress VMs: when its CPU time was last seen advancing, else null
     */
    record Look(SubjectKind kind, String name, String state, boolean seenHealthy, Instant lastProgress) {
        String key() {
            return kind + ":" + name;
        }
    }

    private final Map<String, WatchedSubject> subjects = new LinkedHashMap<>();
    private volatile Watched published = Watched.none();

    /**
     * The subjects of one kind seen now, which replace those of that kind seen before.
     *
     * @param failing  the failures handed to the supervisor at this look
     * @param episodes the supervisor's episodes under way after it, per subject key
     */
    void looked(SubjectKind kind, Collection<Look> looks, Collection<Failure> failing,
                Map<String, Supervisor.Episode> episodes, Instant now) {
        Set<String> failingKeys = new HashSet<>();
        failing.forEach(f -> failingKeys.add(f.key()));
        Map<String, WatchedSubject> fresh = new LinkedHashMap<>();
        for (Look l : looks) {
            WatchedSubject before = subjects.get(l.key());
            Instant since = before != null && before.state().equals(l.state()) ? before.since() : now;
            Supervisor.Episode e = failingKeys.contains(l.key()) ? episodes.get(l.key()) : null;
            fresh.putIfAbsent(l.key(), new WatchedSubject(kind, l.name(), l.state(), l.seenHealthy(),
                    failingKeys.contains(l.key()), since, now, l.lastProgress(), e == null ? 0 : e.attempts(),
                    e == null ? null : e.nextAttempt()));
        }
        forget(kind);
        subjects.putAll(fresh);
    }

    /** Drops the subjects of a kind no longer watched. */
    void forget(SubjectKind kind) {
        subjects.values().removeIf(s -> s.kind() == kind);
    }

    /** Ends a look: what was seen becomes visible to {@link #watched()}. */
    void publish(Set<SubjectKind> kinds, Instant now) {
        for (SubjectKind k : SubjectKind.values()) {
            if (!kinds.contains(k)) {
                forget(k);
            }
        }
        List<WatchedSubject> list = new ArrayList<>(subjects.values());
        list.sort(Comparator.comparing(WatchedSubject::kind).thenComparing(WatchedSubject::name));
        published = new Watched(now, kinds.isEmpty() ? EnumSet.noneOf(SubjectKind.class) : EnumSet.copyOf(kinds),
                list);
    }

    Watched watched() {
        return published;
    }
}
