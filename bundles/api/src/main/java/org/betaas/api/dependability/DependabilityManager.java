package org.betaas.api.dependability;

import java.time.Instant;
import java.util.List;

/** Watches BETaaS components, bundles, VMs and peers, recovers them per policy and keeps every incident. */
public interface DependabilityManager {

    /** The most recent incidents, newest first, at most {@code limit}. */
    List<Incident> incidents(int limit);

    /** Incidents that began or changed at or after {@code since}, newest first. */
    List<Incident> incidentsSince(Instant since);

    /**
     * What it watches now and the last state it saw of each component, bundle, VM and peer, with when it saw it
     * and the recovery under way. Tests await this instead of sleeping ("the manager has seen the VM RUNNING").
     */
    default Watched watched() {
        return Watched.none();
    }
}
