package org.betaas.service.bigdata.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.betaas.api.things.Measurement;
import org.junit.Test;

/** The store on embedded H2, in memory; and in a file, across a reopen. */
public class H2MeasurementStoreTest extends MeasurementStoreContract {

    private static final AtomicInteger NEXT = new AtomicInteger();

    @Override
    protected Database open() throws Exception {
        return new Database("jdbc:h2:mem:bigdata-" + NEXT.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "", "");
    }

    @Test
    public void aFileDatabaseKeepsMeasurementsAcrossAReopen() throws Exception {
        Path dir = Files.createTempDirectory("bigdata");
        String url = "jdbc:h2:file:" + dir.resolve("bigdata");
        try {
            Database first = new Database(url, "", "");
            new JdbcMeasurementStore(first).store(List.of(new Measurement("a", "", T0, "Cel", 1.5)));
            first.close();
            Database second = new Database(url, "", "");
            try {
                JdbcMeasurementStore store = new JdbcMeasurementStore(second);
                assertEquals(1, store.rows());
                assertEquals(1.5, store.measurements("a", Optional.empty(), T0, T0.plusSeconds(1), 10).get(0).value());
            } finally {
                second.close();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    public void passwordsNeverShowInTheUrlsThatAreLoggedOrShown() {
        String shown = Dialect.withoutSecrets("jdbc:postgresql://db:5432/betaas?user=b&password=s3cret&ssl=true");
        assertFalse(shown, shown.contains("s3cret"));
        assertEquals("jdbc:postgresql://db:5432/betaas?user=b&password=***&ssl=true", shown);
        assertFalse(Dialect.withoutSecrets("jdbc:h2:file:/x;PASSWORD=s3cret;X=1").contains("s3cret"));
    }

    @Test(expected = java.sql.SQLException.class)
    public void anUnknownDatabaseIsRefused() throws Exception {
        new Database("jdbc:mysql://localhost/x", "", "");
    }
}
