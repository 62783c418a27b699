package org.betaas.service.dependability.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.time.Instant;

import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class H2IncidentStoreTest {

    /** Deleted after the test, once both stores (and so H2) are closed by their try-with-resources. */
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void incidentsSurviveReopeningAndHistoryIsBounded() throws Exception {
        Path dir = tmp.newFolder("incidents").toPath();
        String url = "jdbc:h2:file:" + dir.resolve("incidents");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (H2IncidentStore store = new H2IncidentStore(url, 3)) {
            for (int i = 0; i < 5; i++) {
                store.save(new Incident(store.nextId(), t.plusSeconds(i), SubjectKind.COMPONENT, "c" + i,
                        "FAILED ACTIVATION", "disable+enable", Incident.RECOVERING, 1, t.plusSeconds(i)));
            }
            Incident last = store.recent(1).get(0);
            store.save(last.with("disable+enable", Incident.RECOVERED, 2, t.plusSeconds(60)));
        }
        try (H2IncidentStore store = new H2IncidentStore(url, 3)) {
            assertEquals(3, store.recent(10).size());
            Incident newest = store.recent(10).get(0);
            assertEquals("c4", newest.subject());
            assertEquals(Incident.RECOVERED, newest.outcome());
            assertEquals(2, newest.attempts());
            assertEquals(1, store.since(t.plusSeconds(30)).size());
            assertEquals(6, store.nextId());
        }
    }
}
