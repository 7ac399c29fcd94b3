package dev.cdc.processor.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@code cdc_repair_request}. A request is claimed ({@code started_at}) once; the command that wrote it
 * may withdraw it only while it is unclaimed, so a request is either executed once or not at all.
 */
public final class RepairRequests {

    public static final String REPLAY = "replay";
    public static final String PURGE = "purge";
    public static final String SKIP = "skip";
    public static final String DEAD_LETTER = "dead-letter";

    private RepairRequests() {
    }

    /** A request as written by the operator command. */
    public record Request(long id, String action, Long deadLetterId, String sourceTable, String topic, Integer partition, Long offset) {
    }

    /** Unclaimed replay and purge requests, oldest first. */
    static List<Request> openTableRequests(Connection c) throws SQLException {
        return select(c, "WHERE started_at IS NULL AND action IN ('" + REPLAY + "', '" + PURGE + "') ORDER BY id", null);
    }

    /** The unclaimed skip or dead-letter request for the record at topic-partition@offset, or null. */
    public static Request forRecord(Connection c, String topic, int partition, long offset) throws SQLException {
        List<Request> found = select(c, "WHERE started_at IS NULL AND action IN ('" + SKIP + "', '" + DEAD_LETTER + "')"
                + " AND topic = ? AND kafka_partition = ? AND kafka_offset = ? ORDER BY id LIMIT 1", ps -> {
                    ps.setString(1, topic);
                    ps.setInt(2, partition);
                    ps.setLong(3, offset);
                });
        return found.isEmpty() ? null : found.get(0);
    }

    /** Claims the request; false when it was claimed or withdrawn meanwhile. */
    static boolean claim(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RepairTables.REQUEST + " SET started_at = NOW(6) WHERE id = ? AND started_at IS NULL")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Claims and finishes the request in one step (in the caller's transaction); false when it is gone or taken. */
    static boolean claimAndFinish(Connection c, long id, boolean ok, String result) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RepairTables.REQUEST
                + " SET started_at = NOW(6), done_at = NOW(6), ok = ?, result = ? WHERE id = ? AND started_at IS NULL")) {
            ps.setBoolean(1, ok);
            ps.setString(2, result);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    static void finish(Connection c, long id, boolean ok, String result) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RepairTables.REQUEST + " SET done_at = NOW(6), ok = ?, result = ? WHERE id = ?")) {
            ps.setBoolean(1, ok);
            ps.setString(2, result);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<Request> select(Connection c, String where, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, action, dead_letter_id, source_table, topic, kafka_partition, kafka_offset FROM "
                + RepairTables.REQUEST + " " + where)) {
            if (binder != null) {
                binder.bind(ps);
            }
            List<Request> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Request(rs.getLong(1), rs.getString(2), nullableLong(rs, 3), rs.getString(4), rs.getString(5),
                            rs.getObject(6) == null ? null : rs.getInt(6), nullableLong(rs, 7)));
                }
            }
            return out;
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
