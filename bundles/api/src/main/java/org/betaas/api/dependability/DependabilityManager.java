package org.betaas.api.dependability;

import java.time.Instant;
import java.util.List;

/** Watches BETaaS components, bundles, VMs and peers, recovers them per policy and keeps every incident. */
public interface DependabilityManager {

    /** The most recent incidents, newest first, at most {@code limit}. */
    List<Incident> incidents(int limit);

    /** Incidents that began or changed at or after {@code since}, newest first. */
    List<Incident> incidentsSince(Instant since);
}
