package org.betaas.service.dependability.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

import org.betaas.api.dependability.Incident;

/** Incidents in memory only: for tests and when the H2 database cannot be opened. */
final class MemoryIncidentStore implements IncidentStore {

    private final int capacity;
    private final TreeMap<Long, Incident> incidents = new TreeMap<>();
    private long next = 1;

    MemoryIncidentStore(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    @Override
    public synchronized long nextId() {
        return next++;
    }

    @Override
    public synchronized void save(Incident incident) {
        incidents.put(incident.id(), incident);
        next = Math.max(next, incident.id() + 1);
        while (incidents.size() > capacity) {
            incidents.pollFirstEntry();
        }
    }

    @Override
    public synchronized List<Incident> recent(int limit) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents.descendingMap().values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(i);
        }
        return out;
    }

    @Override
    public synchronized List<Incident> since(Instant since) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents.descendingMap().values()) {
            if (!i.updated().isBefore(since) || !i.time().isBefore(since)) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparingLong(Incident::id).reversed());
        return out;
    }
}
