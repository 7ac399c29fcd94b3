package dev.cdc.offsets.cli;

import dev.cdc.contract.SourcePosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The processor's per-partition watermarks of one topic in the target database (table {@code cdc_apply_watermark},
 * docs/design.md "Apply once with lineage"). The processor reads its partition's row {@code FOR UPDATE} in every apply
 * transaction, before it writes rows: whoever holds these rows holds the topic's apply.
 */
final class ProcessorWatermarks {

    static final String TABLE = "cdc_apply_watermark";

    /** One partition's row; {@code position} is null until the partition applied a streamed change. */
    record Mark(int partition, long generation, SourcePosition position) {
    }

    private ProcessorWatermarks() {
    }

    static boolean tableExists(Connection target) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Locks the topic's rows and the gap around them (the caller's transaction must be REPEATABLE READ), so that the
     * processor can neither apply a change of the topic nor start a new partition of it until the caller commits.
     */
    static List<Mark> lock(Connection target, String topic) throws SQLException {
        List<Mark> marks = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT kafka_partition, generation, file_seq, pos, `event`, row_index, sub_index FROM "
                + TABLE + " WHERE topic = ? ORDER BY kafka_partition FOR UPDATE")) {
            ps.setString(1, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long fileSeq = rs.getLong(3);
                    SourcePosition p = rs.wasNull() ? null
                            : new SourcePosition(rs.getLong(2), fileSeq, rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
                    marks.add(new Mark(rs.getInt(1), rs.getLong(2), p));
                }
            }
        }
        return marks;
    }

    /** Raises a partition's position to {@code position} (never lowers it); the caller holds the lock. */
    static void raise(Connection target, String topic, Mark mark, SourcePosition position) throws SQLException {
        if (mark.position() != null && mark.position().compareTo(position) >= 0) {
            return;
        }
        try (PreparedStatement ps = target.prepareStatement("UPDATE " + TABLE + " SET generation = ?, file_seq = ?, pos = ?, `event` = ?,"
                + " row_index = ?, sub_index = ?, updated_at = NOW(6) WHERE topic = ? AND kafka_partition = ?")) {
            ps.setLong(1, position.generation());
            ps.setLong(2, position.fileSeq());
            ps.setLong(3, position.pos());
            ps.setLong(4, position.event());
            ps.setLong(5, position.row());
            ps.setLong(6, position.sub());
            ps.setString(7, topic);
            ps.setInt(8, mark.partition());
            ps.executeUpdate();
        }
    }
}
