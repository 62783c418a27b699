package org.betaas.common.h2;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReopeningConnectionTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private Connection db;

    @After
    public void roomAgain() throws SQLException {
        FullDisk.full = false;
        if (db != null) {
            db.close();
        }
    }

    /**
     * A full disk: H2 closes the database on the failed write, and its plain connection fails every call after,
     * also once there is room again. This one writes again at the first call after the disk has room, and what was
     * committed before is all there.
     */
    @Test
    public void aDatabaseClosedByAFullDiskIsOpenedAgainOnceThereIsRoom() throws Exception {
        db = ReopeningConnection.open(FullDisk.url(tmp.getRoot().toPath(), "full"));
        execute("CREATE TABLE t (x INT)");
        execute("INSERT INTO t VALUES (1)");
        execute("CHECKPOINT");

        FullDisk.full = true;
        List<String> whileFull = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try {
                execute("INSERT INTO t VALUES (2)");
                execute("CHECKPOINT");
                whileFull.add("written");
            } catch (SQLException e) {
                whileFull.add("failed");
            }
        }
        assertEquals("writes while the disk is full", List.of("failed", "failed", "failed"), whileFull);

        FullDisk.full = false;
        execute("INSERT INTO t VALUES (3)");
        assertEquals(List.of(1, 3), values());
        assertFalse(db.isClosed());
    }

    /** An ordinary SQL error leaves the connection, and the transaction in progress, as they were. */
    @Test
    public void anErrorOfTheStatementKeepsTheTransaction() throws Exception {
        db = ReopeningConnection.open(FullDisk.url(tmp.getRoot().toPath(), "errors"));
        execute("CREATE TABLE t (x INT)");
        db.setAutoCommit(false);
        execute("INSERT INTO t VALUES (5)");
        try {
            execute("INSERT INTO no_such_table VALUES (6)");
            fail("no such table");
        } catch (SQLException e) {
            assertFalse(ReopeningConnection.closedUnderneath(e));
        }
        db.commit();
        assertEquals(List.of(5), values());
    }

    /** Closed by its owner, it stays closed. */
    @Test
    public void aConnectionItsOwnerClosedIsNotOpenedAgain() throws Exception {
        db = ReopeningConnection.open(FullDisk.url(tmp.getRoot().toPath(), "closed"));
        db.close();
        assertTrue(db.isClosed());
        try {
            execute("CALL 1");
            fail("used after close");
        } catch (SQLException e) {
            assertTrue(e.getMessage(), db.isClosed());
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private List<Integer> values() throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT x FROM t ORDER BY x")) {
            while (r.next()) {
                values.add(r.getInt(1));
            }
        }
        return values;
    }
}
