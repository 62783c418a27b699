package org.betaas.service.bigdata.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.NodeRole;

/** The Big Data nodes held, in the same database, so that a restart still knows which VMs to release. */
final class NodeRecords {

    private static final String TABLE = "bigdata_node";

    private final Database db;

    NodeRecords(Database db) throws SQLException {
        this.db = db;
        db.use("the node table to be created", c -> {
            try (Statement s = c.createStatement()) {
                return s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (vm_id VARCHAR(255) PRIMARY KEY,"
                        + " role VARCHAR(16) NOT NULL, template VARCHAR(255) NOT NULL, location VARCHAR(255) NOT NULL,"
                        + " since TIMESTAMP WITH TIME ZONE NOT NULL, reason VARCHAR(1000) NOT NULL)");
            }
        });
    }

    List<BigDataNode> all() throws SQLException {
        return db.use("the Big Data nodes held", c -> {
            List<BigDataNode> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT vm_id, role, template, location, since, reason FROM " + TABLE
                         + " ORDER BY since")) {
                while (r.next()) {
                    NodeRole role;
                    try {
                        role = NodeRole.valueOf(r.getString(2));
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    out.add(new BigDataNode(r.getString(1), role, r.getString(3), r.getString(4),
                            r.getObject(5, OffsetDateTime.class).toInstant(), r.getString(6)));
                }
            }
            return out;
        });
    }

    void add(BigDataNode node) throws SQLException {
        db.use("recording node " + node.vmId(), c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE
                    + " (vm_id, role, template, location, since, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, node.vmId());
                p.setString(2, node.role().name());
                p.setString(3, node.template());
                p.setString(4, node.location());
                p.setObject(5, OffsetDateTime.ofInstant(node.since(), ZoneOffset.UTC));
                String reason = node.reason();
                p.setString(6, reason.length() <= 1000 ? reason : reason.substring(0, 1000));
                return p.executeUpdate();
            }
        });
    }

    void remove(String vmId) throws SQLException {
        db.use("forgetting node " + vmId, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE vm_id = ?")) {
                p.setString(1, vmId);
                return p.executeUpdate();
            }
        });
    }
}
