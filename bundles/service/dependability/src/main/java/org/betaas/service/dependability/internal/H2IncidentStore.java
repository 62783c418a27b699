package org.betaas.service.dependability.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.common.h2.ReopeningConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Incidents in an embedded H2 database, so that they survive a restart; the oldest beyond the bound are dropped. */
final class H2IncidentStore implements IncidentStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2IncidentStore.class);
    private static final String COLUMNS = "id, time, kind, subject, what, action, outcome, attempts, updated";

    private final Connection db;
    private final int capacity;
    private long next;

    H2IncidentStore(String jdbcUrl, int capacity) throws SQLException {
        this.capacity = Math.max(1, capacity);
        db = ReopeningConnection.open(jdbcUrl); // a full disk does not break it for good
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS incident (id BIGINT PRIMARY KEY, "
                    + "time TIMESTAMP WITH TIME ZONE NOT NULL, kind VARCHAR(16) NOT NULL, subject VARCHAR(255) NOT NULL, "
                    + "what VARCHAR(1000) NOT NULL, action VARCHAR(1000) NOT NULL, outcome VARCHAR(1000) NOT NULL, "
                    + "attempts INT NOT NULL, updated TIMESTAMP WITH TIME ZONE NOT NULL)");
            try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM incident")) {
                r.next();
                next = r.getLong(1) + 1;
            }
        }
    }

    @Override
    public synchronized long nextId() {
        return next++;
    }

    @Override
    public synchronized void save(Incident i) {
        try (PreparedStatement p = db.prepareStatement("MERGE INTO incident (" + COLUMNS + ") KEY (id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement trim = db.prepareStatement("DELETE FROM incident WHERE id <= ?")) {
            p.setLong(1, i.id());
            p.setTimestamp(2, Timestamp.from(i.time()));
            p.setString(3, i.kind().name());
            p.setString(4, cut(i.subject(), 255));
            p.setString(5, cut(i.what(), 1000));
            p.setString(6, cut(i.action(), 1000));
            p.setString(7, cut(i.outcome(), 1000));
            p.setInt(8, i.attempts());
            p.setTimestamp(9, Timestamp.from(i.updated()));
            p.executeUpdate();
            next = Math.max(next, i.id() + 1);
            trim.setLong(1, next - 1 - capacity);
            trim.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Incident {} could not be stored: {}", i.id(), e.getMessage());
        }
    }

    @Override
    public synchronized List<Incident> recent(int limit) {
        return query("SELECT " + COLUMNS + " FROM incident ORDER BY id DESC LIMIT " + Math.max(0, limit), null);
    }

    @Override
    public synchronized List<Incident> since(Instant since) {
        return query("SELECT " + COLUMNS + " FROM incident WHERE updated >= ? OR time >= ? ORDER BY id DESC", since);
    }

    private List<Incident> query(String sql, Instant since) {
        List<Incident> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (since != null) {
                p.setTimestamp(1, Timestamp.from(since));
                p.setTimestamp(2, Timestamp.from(since));
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Incident(r.getLong(1), r.getTimestamp(2).toInstant(),
                            SubjectKind.valueOf(r.getString(3)), r.getString(4), r.getString(5), r.getString(6),
                            r.getString(7), r.getInt(8), r.getTimestamp(9).toInstant()));
                }
            }
        } catch (SQLException e) {
            LOG.warn("Incidents could not be read: {}", e.getMessage());
        }
        return out;
    }

    private static String cut(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max - 1) + "…";
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            LOG.debug("closing the incident database: {}", e.getMessage());
        }
    }
}
