package org.betaas.service.bigdata.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * How long and how many measurements are kept.
 *
 * @param maxAge  measurements older than this go; {@link Duration#ZERO} keeps them whatever their age
 * @param maxRows at most this many are kept, the oldest going first; 0 keeps them however many
 */
record Retention(Duration maxAge, long maxRows) {

    Retention {
        if (maxAge.isNegative() || maxRows < 0) {
            throw new IllegalArgumentException("negative retention");
        }
    }

    /** Prunes the store; returns how many rows went. */
    int apply(MeasurementStore store, Instant now) throws SQLException {
        int pruned = 0;
        if (!maxAge.isZero()) {
            pruned += store.deleteBefore(now.minus(maxAge));
        }
        if (maxRows > 0 && store.rows() > maxRows) {
            pruned += store.keepNewest(maxRows);
        }
        return pruned;
    }

    @Override
    public String toString() {
        return (maxAge.isZero() ? "any age" : "at most " + maxAge.toSeconds() + " s old") + ", "
                + (maxRows == 0 ? "any number of rows" : "at most " + maxRows + " rows");
    }
}
