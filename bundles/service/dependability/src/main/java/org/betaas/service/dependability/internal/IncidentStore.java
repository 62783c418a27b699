package org.betaas.service.dependability.internal;

import java.time.Instant;
import java.util.List;

import org.betaas.api.dependability.Incident;

/** Where incidents are kept: a bounded history, newest first. */
interface IncidentStore extends AutoCloseable {

    /** The next free incident id. */
    long nextId();

    /** Adds the incident or replaces the one with its id; drops the oldest beyond the history bound. */
    void save(Incident incident);

    List<Incident> recent(int limit);

    List<Incident> since(Instant since);

    @Override
    default void close() {
    }
}
