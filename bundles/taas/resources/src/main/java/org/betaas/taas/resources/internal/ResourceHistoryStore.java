package org.betaas.taas.resources.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.VmReservation;
import org.betaas.common.h2.ReopeningConnection;

/**
 * The resource samples of this gateway in an embedded H2 database, so that a forecast is possible right after a
 * restart. One row per resource and sampling instant; the caller prunes what is older than the history length.
 */
final class ResourceHistoryStore implements AutoCloseable {

    /** One stored sample. */
    record Sample(Instant takenAt, double value) {
    }

    private final Connection connection;

    private ResourceHistoryStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (and creates when needed) the store at a JDBC URL such as {@code jdbc:h2:file:/data/betaas/resources}. */
    static ResourceHistoryStore open(String jdbcUrl) throws SQLException {
        Connection connection = ReopeningConnection.open(jdbcUrl); // a full disk does not break it for good
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS resource_sample (kind VARCHAR(16) NOT NULL, taken_at BIGINT NOT NULL,"
                    + " sample_value DOUBLE PRECISION NOT NULL, PRIMARY KEY (kind, taken_at))");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new ResourceHistoryStore(connection);
    }

    /** Stores the samples taken at one instant (NaN values are not stored: they are gaps). */
    synchronized void append(Instant takenAt, Map<? extends Enum<?>, Double> values) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "MERGE INTO resource_sample (kind, taken_at, sample_value) KEY (kind, taken_at) VALUES (?, ?, ?)")) {
            for (Map.Entry<? extends Enum<?>, Double> e : values.entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    continue;
                }
                s.setString(1, e.getKey().name());
                s.setLong(2, takenAt.toEpochMilli());
                s.setDouble(3, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Samples of every resource taken at or after {@code since}, oldest first. */
    synchronized Map<ResourceKind, List<Sample>> load(Instant since) throws SQLException {
        return load(since, ResourceKind.class);
    }

    /** Samples of what the VMs reserved, taken at or after {@code since}, oldest first. */
    synchronized Map<VmReservation, List<Sample>> loadReservations(Instant since) throws SQLException {
        return load(since, VmReservation.class);
    }

    private <K extends Enum<K>> Map<K, List<Sample>> load(Instant since, Class<K> names) throws SQLException {
        Map<K, List<Sample>> result = new EnumMap<>(names);
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT kind, taken_at, sample_value FROM resource_sample WHERE taken_at >= ? ORDER BY taken_at")) {
            s.setLong(1, since.toEpochMilli());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    K kind;
                    try {
                        kind = Enum.valueOf(names, rs.getString(1));
                    } catch (IllegalArgumentException e) {
                        continue; // another series, or a resource this version no longer measures
                    }
                    result.computeIfAbsent(kind, k -> new ArrayList<>())
                            .add(new Sample(Instant.ofEpochMilli(rs.getLong(2)), rs.getDouble(3)));
                }
            }
        }
        return result;
    }

    /** Deletes samples taken before {@code before}; returns how many. */
    synchronized int prune(Instant before) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM resource_sample WHERE taken_at < ?")) {
            s.setLong(1, before.toEpochMilli());
            return s.executeUpdate();
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
