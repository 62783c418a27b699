package org.betaas.service.manager.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.betaas.common.h2.ReopeningConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Apps in H2 (table {@code app}); one connection, used under this object's lock. */
public final class H2AppStore implements AppStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2AppStore.class);

    private final Connection db;

    public H2AppStore(String jdbcUrl) throws SQLException {
        this.db = ReopeningConnection.open(jdbcUrl); // a full disk does not break it for good
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS app (name VARCHAR(64) PRIMARY KEY, manifest CLOB NOT NULL, "
                    + "token_hash CHAR(64) NOT NULL, vm_id VARCHAR(256), installed_at TIMESTAMP WITH TIME ZONE, "
                    + "seq BIGINT AUTO_INCREMENT)");
        }
    }

    @Override
    public synchronized List<StoredApp> load() throws SQLException {
        List<StoredApp> apps = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT name, manifest, token_hash, vm_id, installed_at FROM app"
                     + " ORDER BY installed_at, seq")) {
            while (r.next()) {
                apps.add(new StoredApp(r.getString(1), r.getString(2), r.getString(3),
                        Optional.ofNullable(r.getString(4)), r.getTimestamp(5).toInstant()));
            }
        }
        return apps;
    }

    @Override
    public synchronized void insert(StoredApp app) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO app (name, manifest, token_hash, vm_id, installed_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, app.name());
            p.setString(2, app.manifestJson());
            p.setString(3, app.tokenHash());
            p.setString(4, app.vmId().orElse(null));
            p.setTimestamp(5, Timestamp.from(app.installedAt()));
            p.executeUpdate();
        }
    }

    @Override
    public synchronized void delete(String name) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM app WHERE name = ?")) {
            p.setString(1, name);
            p.executeUpdate();
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("Closing the apps database: {}", e.getMessage());
        }
    }
}
