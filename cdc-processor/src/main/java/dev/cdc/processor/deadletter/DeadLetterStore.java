package dev.cdc.processor.deadletter;

import dev.cdc.contract.SourcePosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The SQL of {@code cdc_dead_letter}; every write runs in a transaction the caller owns. */
public final class DeadLetterStore {

    public static final String PENDING = "pending";
    public static final String REPLAYED = "replayed";

    private DeadLetterStore() {
    }

    /** A dead letter waiting for replay, with what is needed to apply it. */
    public record Pending(long id, String topic, int partition, long offset, String sourceTable, byte[] key, byte[] value) {
    }

    /** What is written about a record that is passed over. */
    public record Entry(String topic, int partition, long offset, String sourceTable, String position, SourcePosition order,
                        byte[] key, byte[] value, String error, int attempts, Long waitsFor) {
    }

    static long insert(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RepairTables.DEAD_LETTER
                + " (topic, kafka_partition, kafka_offset, source_table, position, generation, file_seq, pos, `event`, row_index, sub_index,"
                + " record_key, record_value, error, attempts, waits_for, status, dead_lettered_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '" + PENDING + "', NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, e.topic());
            ps.setInt(2, e.partition());
            ps.setLong(3, e.offset());
            ps.setString(4, e.sourceTable());
            ps.setString(5, e.position());
            SourcePosition p = e.order();
            long[] parts = p == null ? null : new long[] {p.generation(), p.fileSeq(), p.pos(), p.event(), p.row(), p.sub()};
            for (int i = 0; i < 6; i++) {
                if (parts == null) {
                    ps.setNull(6 + i, Types.BIGINT);
                } else {
                    ps.setLong(6 + i, parts[i]);
                }
            }
            ps.setBytes(12, e.key());
            ps.setBytes(13, e.value());
            ps.setString(14, e.error());
            ps.setInt(15, e.attempts());
            if (e.waitsFor() == null) {
                ps.setNull(16, Types.BIGINT);
            } else {
                ps.setLong(16, e.waitsFor());
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Pending dead letters in the scope (one id, one source table, or all), in source order: lineage generation and
     * binlog position first, then the order they were written in (records without a position).
     */
    static List<Pending> pending(Connection c, Long id, String sourceTable) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, topic, kafka_partition, kafka_offset, source_table, record_key, record_value FROM "
                + RepairTables.DEAD_LETTER + " WHERE status = '" + PENDING + "'");
        if (id != null) {
            sql.append(" AND id = ?");
        }
        if (sourceTable != null) {
            sql.append(" AND source_table = ?");
        }
        sql.append(" ORDER BY generation IS NULL, generation, file_seq, pos, `event`, row_index, sub_index, id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (id != null) {
                ps.setLong(i++, id);
            }
            if (sourceTable != null) {
                ps.setString(i, sourceTable);
            }
            List<Pending> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getBytes(6), rs.getBytes(7)));
                }
            }
            return out;
        }
    }

    /** Marks a pending dead letter replayed; false when it was not pending any more (replayed or purged meanwhile). */
    static boolean markReplayed(Connection c, long id, long requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RepairTables.DEAD_LETTER + " SET status = '" + REPLAYED
                + "', resolved_at = NOW(6), resolved_by = ? WHERE id = ? AND status = '" + PENDING + "'")) {
            ps.setLong(1, requestId);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Deletes the dead letters in the scope (one id, one source table, or all); returns how many. */
    static int purge(Connection c, Long id, String sourceTable) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM " + RepairTables.DEAD_LETTER + " WHERE 1 = 1");
        if (id != null) {
            sql.append(" AND id = ?");
        }
        if (sourceTable != null) {
            sql.append(" AND source_table = ?");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (id != null) {
                ps.setLong(i++, id);
            }
            if (sourceTable != null) {
                ps.setString(i, sourceTable);
            }
            return ps.executeUpdate();
        }
    }
}
