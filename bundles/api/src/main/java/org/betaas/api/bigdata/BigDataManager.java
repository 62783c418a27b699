package org.betaas.api.bigdata;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.betaas.api.things.Measurement;

/**
 * The Big Data Manager: keeps the measurements of the things (from the thing registry's subscriptions) in a local
 * database with retention, answers queries over time ranges, and asks the TaaS Resources Manager for Big Data
 * storage and computation nodes while the data volume or the query load is above its thresholds.
 */
public interface BigDataManager {

    /** Stores measurements (the manager already stores every measurement the things deliver). */
    void store(List<Measurement> measurements) throws BigDataException;

    /**
     * The measurements of one thing with {@code from <= time < to}, oldest first, at most {@code limit}.
     *
     * @param name only this SenML name of the thing; empty for all its names
     */
    List<Measurement> measurements(String thingId, Optional<String> name, Instant from, Instant to, int limit)
            throws BigDataException;

    /** Count, minimum, maximum and mean of the numeric values of one thing with {@code from <= time < to}. */
    Aggregate aggregate(String thingId, Optional<String> name, Instant from, Instant to) throws BigDataException;

    /**
     * The same aggregates per {@code bucket} (buckets aligned on the epoch), oldest first; buckets without numeric
     * values are left out.
     */
    List<Aggregate> aggregates(String thingId, Optional<String> name, Instant from, Instant to, Duration bucket)
            throws BigDataException;

    /** The ids of the things with stored measurements. */
    List<String> thingIds() throws BigDataException;

    /** Rows, bytes, retention, thresholds, query load and the nodes held. */
    BigDataStatus status();
}
