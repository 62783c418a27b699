package org.betaas.service.bigdata.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.things.Measurement;

/** Where measurements are kept, queried and pruned. */
interface MeasurementStore extends AutoCloseable {

    void store(List<Measurement> measurements) throws SQLException;

    /** {@code from <= time < to}, oldest first, at most {@code limit}. */
    List<Measurement> measurements(String thingId, Optional<String> name, Instant from, Instant to, int limit)
            throws SQLException;

    Aggregate aggregate(String thingId, Optional<String> name, Instant from, Instant to) throws SQLException;

    /** Aggregates per bucket of {@code bucketSeconds}, aligned on the epoch; empty buckets left out. */
    List<Aggregate> aggregates(String thingId, Optional<String> name, Instant from, Instant to, long bucketSeconds)
            throws SQLException;

    List<String> thingIds() throws SQLException;

    long rows() throws SQLException;

    /** The space the measurements take, as the database reports it. */
    long bytes() throws SQLException;

    /** Deletes what was measured before {@code cutoff}; returns how many rows went. */
    int deleteBefore(Instant cutoff) throws SQLException;

    /** Deletes the oldest measurements so that at most {@code maxRows} remain; returns how many rows went. */
    int keepNewest(long maxRows) throws SQLException;

    @Override
    void close();
}
