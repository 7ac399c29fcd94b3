package dev.cdc.processor.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The alignment of a schema change across the partitions of its table's topic (docs/design.md, "Schema changes"), kept
 * in the target database so that it works whichever processor instance holds which partition.
 *
 * <p>A partition <i>arrives</i> at a change when every row before it on that partition is applied: the arrival is
 * written in the same transaction as those rows ({@code cdc_schema_change_arrival}), and the partition's watermark
 * stays on the change. Once all copies arrived, one instance applies the change under a named lock and records it
 * ({@code cdc_schema_change}); every partition then moves past its copy.
 */
final class SchemaBarrier {

    static final String ARRIVALS = "cdc_schema_change_arrival";
    static final String APPLIED = "cdc_schema_change";

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS " + ARRIVALS + " ("
            + " change_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
            + " topic VARCHAR(249) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, kafka_partition INT NOT NULL,"
            + " arrived_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
            + " PRIMARY KEY (change_key, topic, kafka_partition)) ENGINE=InnoDB",
        "CREATE TABLE IF NOT EXISTS " + APPLIED + " ("
            + " change_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, target_table VARCHAR(64) NOT NULL,"
            + " outcome VARCHAR(16) NOT NULL, statement MEDIUMTEXT NULL,"
            + " applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (change_key)) ENGINE=InnoDB"
    };

    private SchemaBarrier() {
    }

    static void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
        }
    }

    /** Records, in the caller's transaction, that {@code topic}/{@code partition} reached the change. */
    static void arrive(Connection c, String key, String topic, int partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + ARRIVALS + " (change_key, topic, kafka_partition) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, topic);
            ps.setInt(3, partition);
            ps.executeUpdate();
        }
    }

    static int arrivals(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + ARRIVALS + " WHERE change_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static boolean applied(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + APPLIED + " WHERE change_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void recordApplied(Connection c, String key, String table, String outcome, String statement) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + APPLIED + " (change_key, target_table, outcome, statement) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, table);
            ps.setString(3, outcome);
            ps.setString(4, statement);
            ps.executeUpdate();
        }
    }

    /** Takes the change's named lock (one instance applies it), waiting up to {@code seconds}; false when it timed out. */
    static boolean lock(Connection c, String key, int seconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, lockName(key));
            ps.setInt(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    static void unlock(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, lockName(key));
            ps.executeQuery().close();
        }
    }

    private static String lockName(String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "cdc_ddl_" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
