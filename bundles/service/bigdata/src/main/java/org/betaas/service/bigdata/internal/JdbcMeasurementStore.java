package org.betaas.service.bigdata.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.things.Measurement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements in a relational database: H2 (embedded) or PostgreSQL, where the TimescaleDB extension, when
 * installed, makes the table a hypertable. One row per measurement; numbers go to {@code value_num} so that the
 * database aggregates them, strings and booleans to {@code value_text}.
 */
final class JdbcMeasurementStore implements MeasurementStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcMeasurementStore.class);
    static final String TABLE = "bigdata_measurement";
    private static final String COLUMNS = "thing_id, name, measured_at, unit, value_type, value_num, value_text";
    private static final int TEXT_MAX = 4096;
    private static final long ESTIMATED_ROW_BYTES = 64;

    private final Database db;
    private final boolean hypertable;

    JdbcMeasurementStore(Database db) throws SQLException {
        this.db = db;
        hypertable = db.use("the measurement table to be created", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (thing_id VARCHAR(255) NOT NULL,"
                        + " name VARCHAR(255) NOT NULL, measured_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " unit VARCHAR(64) NOT NULL, value_type CHAR(1) NOT NULL, value_num DOUBLE PRECISION,"
                        + " value_text VARCHAR(" + TEXT_MAX + "))");
                s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_thing ON " + TABLE + " (thing_id, measured_at)");
                s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_time ON " + TABLE + " (measured_at)");
            }
            boolean timescale = db.dialect().hasTimescale(c);
            if (timescale) {
                try (Statement s = c.createStatement()) {
                    s.execute(db.dialect().hypertableStatement(TABLE, "measured_at").orElseThrow());
                }
                LOG.info("Big Data: {} is a TimescaleDB hypertable", TABLE);
            }
            return timescale;
        });
    }

    @Override
    public void store(List<Measurement> measurements) throws SQLException {
        if (measurements.isEmpty()) {
            return;
        }
        db.use("storing " + measurements.size() + " measurements", c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Measurement m : measurements) {
                    p.setString(1, cut(m.thingId(), 255));
                    p.setString(2, cut(m.name() == null ? "" : m.name(), 255));
                    p.setObject(3, OffsetDateTime.ofInstant(m.time(), ZoneOffset.UTC));
                    p.setString(4, cut(m.unit() == null ? "" : m.unit(), 64));
                    Object v = m.value();
                    if (v instanceof Number n) {
                        p.setString(5, "n");
                        p.setDouble(6, n.doubleValue());
                        p.setNull(7, Types.VARCHAR);
                    } else if (v instanceof Boolean b) {
                        p.setString(5, "b");
                        p.setNull(6, Types.DOUBLE);
                        p.setString(7, b.toString());
                    } else {
                        p.setString(5, "s");
                        p.setNull(6, Types.DOUBLE);
                        p.setString(7, cut(v == null ? "" : v.toString(), TEXT_MAX));
                    }
                    p.addBatch();
                }
                p.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    private static String where(Optional<String> name) {
        return " WHERE thing_id = ? AND measured_at >= ? AND measured_at < ?" + (name.isPresent() ? " AND name = ?" : "");
    }

    private static int bindRange(PreparedStatement p, int first, String thingId, Optional<String> name, Instant from,
                                 Instant to) throws SQLException {
        int i = first;
        p.setString(i++, thingId);
        p.setObject(i++, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        p.setObject(i++, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        if (name.isPresent()) {
            p.setString(i++, name.get());
        }
        return i;
    }

    @Override
    public List<Measurement> measurements(String thingId, Optional<String> name, Instant from, Instant to, int limit)
            throws SQLException {
        return db.use("the measurements of " + thingId, c -> {
            List<Measurement> out = new ArrayList<>();
            if (limit <= 0) {
                return out;
            }
            // Sorting by time and name sorts every row of the range (0.6 s for 100,000 in H2 on a PC); the index on
            // (thing, time) finds the time of the limit-th row at once, and only the rows up to it are sorted
            Instant last = to;
            try (PreparedStatement p = c.prepareStatement("SELECT measured_at FROM " + TABLE + where(name)
                    + " ORDER BY measured_at OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY")) {
                int i = bindRange(p, 1, thingId, name, from, to);
                p.setInt(i, limit - 1);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        // the end is exclusive; a margin, whatever the database rounds times to: the rows after
                        // that limit-th one come after it in the order, so that the limit cuts them off anyway
                        last = instant(r, 1).plusMillis(1);
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
                    + where(name) + " ORDER BY measured_at, name FETCH FIRST ? ROWS ONLY")) {
                int i = bindRange(p, 1, thingId, name, from, last.isBefore(to) ? last : to);
                p.setInt(i, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Measurement(r.getString(1), r.getString(2), instant(r, 3), r.getString(4),
                                value(r.getString(5), r.getDouble(6), r.getString(7))));
                    }
                }
            }
            return out;
        });
    }

    private static Object value(String type, double num, String text) {
        return switch (type) {
            case "n" -> num;
            case "b" -> Boolean.valueOf(text);
            default -> text;
        };
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        return r.getObject(column, OffsetDateTime.class).toInstant();
    }

    @Override
    public Aggregate aggregate(String thingId, Optional<String> name, Instant from, Instant to) throws SQLException {
        return db.use("an aggregate of " + thingId, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(value_num), MIN(value_num),"
                    + " MAX(value_num), AVG(value_num) FROM " + TABLE + where(name))) {
                bindRange(p, 1, thingId, name, from, to);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return aggregate(from, to, r);
                }
            }
        });
    }

    private static Aggregate aggregate(Instant from, Instant to, ResultSet r) throws SQLException {
        long count = r.getLong(1);
        return count == 0 ? new Aggregate(from, to, 0, Double.NaN, Double.NaN, Double.NaN)
                : new Aggregate(from, to, count, r.getDouble(2), r.getDouble(3), r.getDouble(4));
    }

    @Override
    public List<Aggregate> aggregates(String thingId, Optional<String> name, Instant from, Instant to,
                                      long bucketSeconds) throws SQLException {
        if (bucketSeconds < 1) {
            throw new IllegalArgumentException("bucket below one second");
        }
        // the bucket width is a number checked above, written into the SQL so that GROUP BY sees one expression
        String bucket = "FLOOR(EXTRACT(EPOCH FROM measured_at) / " + bucketSeconds + ")";
        return db.use("aggregates of " + thingId, c -> {
            List<Aggregate> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT b, COUNT(v), MIN(v), MAX(v), AVG(v)"
                    + " FROM (SELECT " + bucket + " AS b, value_num AS v FROM " + TABLE + where(name)
                    + " AND value_num IS NOT NULL) x GROUP BY b ORDER BY b")) {
                bindRange(p, 1, thingId, name, from, to);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        long start = r.getLong(1) * bucketSeconds;
                        Instant bFrom = Instant.ofEpochSecond(start);
                        Instant bTo = Instant.ofEpochSecond(start + bucketSeconds);
                        out.add(new Aggregate(bFrom.isBefore(from) ? from : bFrom, bTo.isAfter(to) ? to : bTo,
                                r.getLong(2), r.getDouble(3), r.getDouble(4), r.getDouble(5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<String> thingIds() throws SQLException {
        return db.use("the things stored", c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT DISTINCT thing_id FROM " + TABLE + " ORDER BY thing_id")) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public long rows() throws SQLException {
        return db.use("its number of rows", JdbcMeasurementStore::rows);
    }

    private static long rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public long bytes() throws SQLException {
        return db.use("its size", c -> {
            long bytes;
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery(db.dialect().bytesQuery(TABLE, hypertable))) {
                bytes = r.next() ? Math.max(0, r.getLong(1)) : 0;
            }
            // an in-memory H2 database reports no disk space: estimate from the rows
            return bytes > 0 ? bytes : rows(c) * ESTIMATED_ROW_BYTES;
        });
    }

    @Override
    public int deleteBefore(Instant cutoff) throws SQLException {
        return db.use("deleting the measurements before " + cutoff, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE measured_at < ?")) {
                p.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public int keepNewest(long maxRows) throws SQLException {
        return db.use("deleting all but the newest " + maxRows + " measurements", c -> {
            long excess = rows(c) - Math.max(0, maxRows);
            if (excess <= 0) {
                return 0;
            }
            Instant cutoff;
            // the time of the first row beyond the newest maxRows: it and everything older goes (rows measured at
            // the same instant go together, so that at most maxRows remain). Counted from the oldest end: at the
            // cap only the few rows stored since the last pass are walked, not the maxRows kept (1.5 s for a
            // million rows in H2 on a PC, every pass, holding the connection every other caller waits for)
            try (PreparedStatement p = c.prepareStatement("SELECT measured_at FROM " + TABLE
                    + " ORDER BY measured_at OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY")) {
                p.setLong(1, excess - 1);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return 0;
                    }
                    cutoff = instant(r, 1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE measured_at <= ?")) {
                p.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                return p.executeUpdate();
            }
        });
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public void close() {
        // the Database is closed by its owner
    }
}
