package dev.cdc.offsets.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the dead-letter commands read from and write to the processor's target database: {@code cdc_dead_letter},
 * {@code cdc_stopped_partition} and {@code cdc_repair_request} (created by the processor; see docs/design.md).
 */
final class DeadLetterRecords {

    /** One dead-lettered record. */
    record DeadLetter(long id, String topic, int partition, long offset, String table, String position, byte[] key, byte[] value,
                      String error, int attempts, Long waitsFor, String status, Instant deadLetteredAt, Instant resolvedAt, Long resolvedBy) {
        String kafka() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** A partition stopped at a record (error policy stop). */
    record Stop(String topic, int partition, long offset, String table, String position, String error, int attempts, Instant since) {
        String kafka() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** A repair request and, once done, its result. */
    record Request(long id, String action, Instant started, Instant done, Boolean ok, String result) {
    }

    private final Connection c;

    DeadLetterRecords(Connection c) {
        this.c = c;
    }

    private static final String COLUMNS = "id, topic, kafka_partition, kafka_offset, source_table, position, record_key, record_value, error,"
            + " attempts, waits_for, status, dead_lettered_at, resolved_at, resolved_by";

    List<DeadLetter> list(String table, boolean all, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM cdc_dead_letter WHERE 1 = 1");
        if (!all) {
            sql.append(" AND status = 'pending'");
        }
        if (table != null) {
            sql.append(" AND source_table = ?");
        }
        sql.append(" ORDER BY id LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (table != null) {
                ps.setString(i++, table);
            }
            ps.setInt(i, limit);
            return read(ps);
        }
    }

    DeadLetter find(long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cdc_dead_letter WHERE id = ?")) {
            ps.setLong(1, id);
            List<DeadLetter> found = read(ps);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    int countPending(String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cdc_dead_letter WHERE status = 'pending'"
                + (table == null ? "" : " AND source_table = ?"))) {
            if (table != null) {
                ps.setString(1, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    int count(String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cdc_dead_letter" + (table == null ? "" : " WHERE source_table = ?"))) {
            if (table != null) {
                ps.setString(1, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    List<Stop> stopped(String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT topic, kafka_partition, kafka_offset, source_table, position, error, attempts, stopped_at"
                + " FROM cdc_stopped_partition" + (table == null ? "" : " WHERE source_table = ?") + " ORDER BY topic, kafka_partition")) {
            if (table != null) {
                ps.setString(1, table);
            }
            List<Stop> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stop(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
                            instant(rs.getTimestamp(8))));
                }
            }
            return out;
        }
    }

    /**
     * The tables the processor knows: those with dead letters or a stopped partition, and those of every topic it has a
     * watermark for ({@code <prefix>.<db>.<table>}).
     */
    Set<String> knownTables() throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT source_table FROM cdc_dead_letter UNION SELECT source_table FROM cdc_stopped_partition")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DISTINCT topic FROM cdc_apply_watermark")) {
            while (rs.next()) {
                tables.add(tableOfTopic(rs.getString(1)));
            }
        } catch (SQLException noWatermarks) {
            // A processor that never applied anything has no watermark table yet.
        }
        return tables;
    }

    static String tableOfTopic(String topic) {
        int last = topic.lastIndexOf('.');
        int before = last <= 0 ? -1 : topic.lastIndexOf('.', last - 1);
        return before < 0 ? topic : topic.substring(before + 1);
    }

    long request(String action, Long deadLetterId, String table, Stop stop, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdc_repair_request (action, dead_letter_id, source_table, topic, kafka_partition,"
                + " kafka_offset, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, action);
            ps.setObject(2, deadLetterId);
            ps.setString(3, table);
            ps.setString(4, stop == null ? null : stop.topic());
            ps.setObject(5, stop == null ? null : stop.partition());
            ps.setObject(6, stop == null ? null : stop.offset());
            ps.setString(7, by);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    Request requestState(long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, action, started_at, done_at, ok, result FROM cdc_repair_request WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                boolean ok = rs.getBoolean(5);
                Boolean okOrNull = rs.wasNull() ? null : ok;
                return new Request(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)), okOrNull, rs.getString(6));
            }
        }
    }

    /** Withdraws a request the processor has not taken; false when it has. */
    boolean withdraw(long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdc_repair_request WHERE id = ? AND started_at IS NULL")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<DeadLetter> read(PreparedStatement ps) throws SQLException {
        List<DeadLetter> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long waits = rs.getLong(11);
                Long waitsFor = rs.wasNull() ? null : waits;
                long by = rs.getLong(15);
                Long resolvedBy = rs.wasNull() ? null : by;
                out.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                        rs.getBytes(7), rs.getBytes(8), rs.getString(9), rs.getInt(10), waitsFor, rs.getString(12), instant(rs.getTimestamp(13)),
                        instant(rs.getTimestamp(14)), resolvedBy));
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
