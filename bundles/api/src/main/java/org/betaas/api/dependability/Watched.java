package org.betaas.api.dependability;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.betaas.api.dependability.Incident.SubjectKind;

/**
 * What the Dependability Manager watches now and the last state it saw of each subject.
 *
 * @param polled   when it last looked; null before its first look
 * @param kinds    the kinds of subject it watches now (switched on in its configuration, and with the service
 *                 that tells their state present: SCR, the VM Manager, the Instance Manager)
 * @param subjects every subject seen at the last look of its kind
 */
public record Watched(Instant polled, Set<SubjectKind> kinds, List<WatchedSubject> subjects) {

    public Watched {
        kinds = Set.copyOf(kinds);
        subjects = List.copyOf(subjects);
    }

    /** Nothing watched yet. */
    public static Watched none() {
        return new Watched(null, Set.of(), List.of());
    }

    /** The subject of that kind and name, if it was seen at the last look. */
    public Optional<WatchedSubject> find(SubjectKind kind, String name) {
        return subjects.stream().filter(s -> s.kind() == kind && s.name().equals(name)).findFirst();
    }
}
