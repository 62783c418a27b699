package org.betaas.api.bigdata;

import java.time.Instant;

/**
 * Figures over the numeric values of one thing in a time range.
 *
 * @param from  start of the range (inclusive)
 * @param to    end of the range (exclusive)
 * @param count how many numeric values; min, max and mean are {@code NaN} when 0
 * @param min   smallest value
 * @param max   largest value
 * @param mean  arithmetic mean
 */
public record Aggregate(Instant from, Instant to, long count, double min, double max, double mean) {
}
