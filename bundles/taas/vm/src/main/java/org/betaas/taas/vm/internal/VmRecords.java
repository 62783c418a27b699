package org.betaas.taas.vm.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;
import org.betaas.common.h2.ReopeningConnection;

/** The VM Manager's records of its VMs, in an embedded H2 database, so that they survive a restart. */
final class VmRecords implements AutoCloseable {

    private final Connection db;

    VmRecords(String jdbcUrl) throws SQLException {
        db = ReopeningConnection.open(jdbcUrl); // a full disk does not break it for good
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS vm (id VARCHAR(64) PRIMARY KEY, template VARCHAR(64) NOT NULL, "
                    + "driver VARCHAR(32) NOT NULL, location VARCHAR(255) NOT NULL, state VARCHAR(16) NOT NULL, "
                    + "created_at TIMESTAMP WITH TIME ZONE NOT NULL, vcpus INT NOT NULL, memory_mib BIGINT NOT NULL)");
            // separate tables: a database of an earlier version gains them as they are, and a re-placement
            // outlives the record of the VM it replaced
            s.execute("CREATE TABLE IF NOT EXISTS vm_payload (id VARCHAR(64) PRIMARY KEY, path VARCHAR(4096) NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS vm_replacement (old_id VARCHAR(64) PRIMARY KEY, "
                    + "new_id VARCHAR(64) NOT NULL)");
        }
    }

    synchronized void savePayload(String id, String path) throws SQLException {
        execute("MERGE INTO vm_payload (id, path) KEY (id) VALUES (?, ?)", id, path);
    }

    synchronized Optional<String> payload(String id) throws SQLException {
        return one("SELECT path FROM vm_payload WHERE id = ?", id);
    }

    synchronized void saveReplacement(String oldId, String newId) throws SQLException {
        execute("MERGE INTO vm_replacement (old_id, new_id) KEY (old_id) VALUES (?, ?)", oldId, newId);
    }

    synchronized Optional<String> replacement(String oldId) throws SQLException {
        return one("SELECT new_id FROM vm_replacement WHERE old_id = ?", oldId);
    }

    /** Runs one statement with string parameters. */
    private void execute(String sql, String... values) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setString(i + 1, values[i]);
            }
            p.executeUpdate();
        }
    }

    private Optional<String> one(String query, String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(query)) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    synchronized void save(VmInstance vm) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("MERGE INTO vm (id, template, driver, location, state, "
                + "created_at, vcpus, memory_mib) KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, vm.id());
            p.setString(2, vm.template());
            p.setString(3, vm.driver());
            p.setString(4, vm.location() == null ? "" : vm.location());
            p.setString(5, vm.state().name());
            p.setTimestamp(6, Timestamp.from(vm.createdAt()));
            p.setInt(7, vm.vcpus());
            p.setLong(8, vm.memoryMiB());
            p.executeUpdate();
        }
    }

    /**
     * Rewrites the record of a VM that is still recorded, and only then. Reconciliation and driver events use
     * this: they work from a snapshot, and must not bring back a VM destroyed since (save would re-insert it).
     *
     * @return false when there is no such record any more
     */
    synchronized boolean update(VmInstance vm) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("UPDATE vm SET template = ?, driver = ?, location = ?, "
                + "state = ?, created_at = ?, vcpus = ?, memory_mib = ? WHERE id = ?")) {
            p.setString(1, vm.template());
            p.setString(2, vm.driver());
            p.setString(3, vm.location() == null ? "" : vm.location());
            p.setString(4, vm.state().name());
            p.setTimestamp(5, Timestamp.from(vm.createdAt()));
            p.setInt(6, vm.vcpus());
            p.setLong(7, vm.memoryMiB());
            p.setString(8, vm.id());
            return p.executeUpdate() > 0;
        }
    }

    /** Deletes the VM's record and its payload's; re-placements stay (whoever held the id still follows them). */
    synchronized void delete(String id) throws SQLException {
        execute("DELETE FROM vm WHERE id = ?", id);
        execute("DELETE FROM vm_payload WHERE id = ?", id);
    }

    synchronized List<VmInstance> all() throws SQLException {
        List<VmInstance> vms = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT id, template, driver, location, state, created_at, vcpus, "
                     + "memory_mib FROM vm ORDER BY created_at, id")) {
            while (r.next()) {
                vms.add(new VmInstance(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        VmState.valueOf(r.getString(5)), r.getTimestamp(6).toInstant(), r.getInt(7), r.getLong(8)));
            }
        }
        return vms;
    }

    Optional<VmInstance> find(String id) throws SQLException {
        return all().stream().filter(vm -> vm.id().equals(id)).findFirst();
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing: nothing left to do
        }
    }
}
