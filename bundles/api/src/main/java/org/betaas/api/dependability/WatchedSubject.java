package org.betaas.api.dependability;

import java.time.Instant;

import org.betaas.api.dependability.Incident.SubjectKind;

/**
 * One subject the Dependability Manager watches, as it saw it at its last look.
 *
 * @param kind         what it is
 * @param name         component name, bundle symbolic name, VM id or gateway id
 * @param state        the last state seen, e.g. {@code ACTIVE}, {@code UNSATISFIED_REFERENCE}, {@code RUNNING},
 *                     {@code online}
 * @param seenHealthy  whether the manager has seen it healthy (active, running, online): only then does a change
 *                     for the worse count as a failure (a component never active is not restarted)
 * @param failing      whether it counts as failing now
 * @param since        when the manager first saw it in {@code state}
 * @param seen         when the manager last looked at it
 * @param lastProgress VMs: when its CPU time was last seen advancing (the VM's heartbeat as the hypervisor shows
 *                     it; a suspended or hung guest makes none); null for other kinds or when unknown
 * @param attempts     recovery attempts made in the current failure episode (0 when none)
 * @param nextAttempt  when the next recovery attempt is due; null when none is planned (healthy, only noted, or
 *                     the manager gave up)
 */
public record WatchedSubject(SubjectKind kind, String name, String state, boolean seenHealthy, boolean failing,
                             Instant since, Instant seen, Instant lastProgress, int attempts, Instant nextAttempt) {
}
