package org.betaas.service.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.bigdata.DurationText;

/**
 * The query parameters of a measurement history request: the time range ({@code since}, or {@code from} and
 * {@code to}), the SenML name, the limit and the aggregation bucket. A wrong parameter is a 400 whose message names
 * it and the accepted form.
 *
 * @param from   start of the range (inclusive)
 * @param to     end of the range (exclusive)
 * @param name   only this SenML name; empty for all
 * @param limit  at most this many measurements
 * @param bucket per-bucket aggregates of this length instead of the measurements; empty for the measurements
 */
record HistoryQuery(Instant from, Instant to, Optional<String> name, int limit, Optional<Duration> bucket) {

    static final Duration DEFAULT_SINCE = Duration.ofHours(1);
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    static final long MAX_BUCKETS = 10_000;

    static final String DURATION_FORM = DurationText.FORMS;
    static final String TIME_FORM = "an ISO-8601 instant (e.g. 2026-11-21T10:00:00Z)";

    /** Reads the parameters of {@code query}; {@code now} ends the range of {@code since} and of a missing {@code to}. */
    static HistoryQuery parse(Map<String, String> query, Instant now) {
        String since = query.get("since");
        String fromText = query.get("from");
        String toText = query.get("to");
        Instant from;
        Instant to;
        if (since != null) {
            if (fromText != null || toText != null) {
                throw ApiException.badRequest("Give either since (e.g. since=15m) or from/to (e.g. from="
                        + "2026-11-21T10:00:00Z&to=2026-11-21T11:00:00Z), not both");
            }
            to = now;
            from = now.minus(duration("since", since));
        } else {
            to = toText == null ? now : instant("to", toText);
            from = fromText == null ? to.minus(DEFAULT_SINCE) : instant("from", fromText);
            if (!from.isBefore(to)) {
                throw ApiException.badRequest("from (" + from + ") must be before to (" + to + "): both are "
                        + TIME_FORM);
            }
        }
        Optional<String> name = Optional.ofNullable(query.get("name")).filter(n -> !n.isEmpty());
        int limit = DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            String trimmed = limitText.trim();
            if (!trimmed.matches("\\d{1,7}") || Integer.parseInt(trimmed) < 1 || Integer.parseInt(trimmed) > MAX_LIMIT) {
                throw ApiException.badRequest("limit '" + limitText + "' is not a number of measurements from 1 to "
                        + MAX_LIMIT + " (e.g. limit=100)");
            }
            limit = Integer.parseInt(trimmed);
        }
        Optional<Duration> bucket = Optional.empty();
        String bucketText = query.get("bucket");
        if (bucketText != null) {
            Duration b = duration("bucket", bucketText);
            if (b.toSeconds() < 1) {
                throw ApiException.badRequest("bucket '" + bucketText + "' is shorter than one second: give "
                        + DURATION_FORM);
            }
            if (Duration.between(from, to).toSeconds() / b.toSeconds() > MAX_BUCKETS) {
                throw ApiException.badRequest("bucket '" + bucketText + "' cuts the range " + from + " .. " + to
                        + " into more than " + MAX_BUCKETS + " buckets: use a longer bucket or a shorter range");
            }
            bucket = Optional.of(b);
        }
        return new HistoryQuery(from, to, name, limit, bucket);
    }

    /** A positive duration as {@link DurationText} reads it ({@code 15m}, {@code PT15M}); else a 400 naming the parameter. */
    static Duration duration(String parameter, String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(parameter + " " + e.getMessage());
        }
    }

    static Instant instant(String parameter, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(parameter + " '" + text + "' is not a time: give " + TIME_FORM);
        }
    }
}
