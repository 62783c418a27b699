package org.betaas.service.bigdata.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.betaas.api.things.Measurement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Big Data's embedded H2 store at its row cap (retention.max.rows, default a million): a week of measurements of ten
 * things. Each of the two calls that walked the whole table is measured beside the query it used before (the
 * reference), in the same run: the retention pass's cutoff, and a thing's first 50 values over the week. Every
 * call holds the one connection all callers share, so its time is what every other caller waits. (The rows
 * stored before each call, one each, are not timed.)
 * (In Big Data's package: its store is package-private.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@org.openjdk.jmh.annotations.Measurement(iterations = 5, time = 1)
@Fork(1)
public class BigDataStoreBenchmark {

    @Param({"1000000"})
    public int rows;

    private Path folder;
    private Database db;
    private JdbcMeasurementStore store;
    private Instant from;
    private Instant to;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        folder = Files.createTempDirectory("bigdata-bench");
        db = new Database("jdbc:h2:file:" + folder.resolve("bigdata") + ";DB_CLOSE_ON_EXIT=FALSE", "", "");
        store = new JdbcMeasurementStore(db);
        to = Instant.now();
        from = to.minusSeconds(7 * 86400);
        long stepMillis = 7 * 86400_000L / rows;
        List<Measurement> batch = new ArrayList<>();
        for (int k = 0; k < rows; k++) {
            batch.add(new Measurement("thing-" + k % 10, "temperature", from.plusMillis(k * stepMillis), "Cel",
                    20 + k % 100 / 10.0));
            if (batch.size() == 1000) {
                store.store(batch);
                batch.clear();
            }
        }
        store.store(batch);
    }

    /**
     * One new measurement before each call, as the ingest thread stores them: H2 answers a query again from its
     * cache while the table has not changed, which a live store never is.
     */
    @Setup(Level.Invocation)
    public void ingest() throws SQLException {
        store.store(List.of(new Measurement("thing-0", "temperature", Instant.now(), "Cel", 21.0)));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        db.close();
        try (var files = Files.walk(folder)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** The retention pass's cutoff with 1,000 rows over the cap, found from the oldest end (now). */
    @Benchmark
    public Instant retentionCutoffFromTheOldestEnd() throws SQLException {
        return cutoff("ORDER BY measured_at", 999);
    }

    /** The same cutoff as found before: walking the rows kept from the newest end. */
    @Benchmark
    public Instant retentionCutoffFromTheNewestEnd() throws SQLException {
        return cutoff("ORDER BY measured_at DESC", rows - 1000);
    }

    private Instant cutoff(String order, long offset) throws SQLException {
        return db.use("a cutoff", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT measured_at FROM " + JdbcMeasurementStore.TABLE
                    + " " + order + " OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY")) {
                p.setLong(1, offset);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        });
    }

    /** A thing's first 50 values of the week, as {@code betaas:bigdata-query --since 7d} asks (now). */
    @Benchmark
    public List<Measurement> first50OfAWeek() throws SQLException {
        return store.measurements("thing-3", Optional.empty(), from, to, 50);
    }

    /** The same as asked before: one query sorting the thing's week by time and name. */
    @Benchmark
    public int first50OfAWeekSortingItAll() throws SQLException {
        return db.use("the reference", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT thing_id, name, measured_at, value_num FROM "
                    + JdbcMeasurementStore.TABLE + " WHERE thing_id = ? AND measured_at >= ? AND measured_at < ?"
                    + " ORDER BY measured_at, name FETCH FIRST 50 ROWS ONLY")) {
                p.setString(1, "thing-3");
                p.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                p.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
                int n = 0;
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        n++;
                    }
                }
                return n;
            }
        });
    }
}
