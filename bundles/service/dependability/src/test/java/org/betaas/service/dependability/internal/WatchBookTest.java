package org.betaas.service.dependability.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.api.dependability.Watched;
import org.betaas.api.dependability.WatchedSubject;
import org.junit.Test;

public class WatchBookTest {

    private final WatchBook book = new WatchBook();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    private static WatchBook.Look vm(String id, String state, boolean healthy) {
        return new WatchBook.Look(SubjectKind.VM, id, state, healthy, null);
    }

    @Test
    public void nothingIsVisibleBeforeTheFirstLook() {
        Watched w = book.watched();
        assertNull(w.polled());
        assertTrue(w.kinds().isEmpty());
        assertTrue(w.subjects().isEmpty());
    }

    @Test
    public void aLookIsVisibleOnlyOncePublished() {
        book.looked(SubjectKind.VM, List.of(vm("vm-1", "RUNNING", true)), List.of(), Map.of(), t0);
        assertTrue(book.watched().subjects().isEmpty());
        book.publish(EnumSet.of(SubjectKind.VM), t0);
        WatchedSubject s = book.watched().find(SubjectKind.VM, "vm-1").orElseThrow();
        assertEquals("RUNNING", s.state());
        assertTrue(s.seenHealthy());
        assertFalse(s.failing());
        assertEquals(t0, s.since());
        assertEquals(t0, book.watched().polled());
        assertEquals(Set.of(SubjectKind.VM), book.watched().kinds());
    }

    @Test
    public void sinceStaysWhileTheStateStaysAndMovesWhenItChanges() {
        book.looked(SubjectKind.VM, List.of(vm("vm-1", "RUNNING", true)), List.of(), Map.of(), t0);
        book.looked(SubjectKind.VM, List.of(vm("vm-1", "RUNNING", true)), List.of(), Map.of(), t0.plusSeconds(5));
        book.publish(EnumSet.of(SubjectKind.VM), t0.plusSeconds(5));
        WatchedSubject s = book.watched().find(SubjectKind.VM, "vm-1").orElseThrow();
        assertEquals(t0, s.since());
        assertEquals(t0.plusSeconds(5), s.seen());

        Failure f = new Failure(SubjectKind.VM, "vm-1", "shut off", true);
        book.looked(SubjectKind.VM, List.of(vm("vm-1", "DEFINED", true)), List.of(f),
                Map.of(f.key(), new Supervisor.Episode(1, t0.plusSeconds(12))), t0.plusSeconds(6));
        book.publish(EnumSet.of(SubjectKind.VM), t0.plusSeconds(6));
        s = book.watched().find(SubjectKind.VM, "vm-1").orElseThrow();
        assertEquals("DEFINED", s.state());
        assertEquals(t0.plusSeconds(6), s.since());
        assertTrue(s.failing());
        assertEquals(1, s.attempts());
        assertEquals(t0.plusSeconds(12), s.nextAttempt());
    }

    @Test
    public void subjectsGoneAndKindsNoLongerWatchedAreDropped() {
        book.looked(SubjectKind.VM, List.of(vm("vm-1", "RUNNING", true), vm("vm-2", "RUNNING", true)), List.of(),
                Map.of(), t0);
        book.looked(SubjectKind.PEER, List.of(new WatchBook.Look(SubjectKind.PEER, "gw-2", "online", true, null)),
                List.of(), Map.of(), t0);
        book.publish(EnumSet.of(SubjectKind.VM, SubjectKind.PEER), t0);
        assertEquals(3, book.watched().subjects().size());

        book.looked(SubjectKind.VM, List.of(vm("vm-2", "RUNNING", true)), List.of(), Map.of(), t0.plusSeconds(1));
        book.publish(EnumSet.of(SubjectKind.VM), t0.plusSeconds(1));
        assertEquals(List.of("vm-2"), book.watched().subjects().stream().map(WatchedSubject::name).toList());
        assertEquals(Set.of(SubjectKind.VM), book.watched().kinds());
    }
}
