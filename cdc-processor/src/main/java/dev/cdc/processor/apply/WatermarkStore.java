package dev.cdc.processor.apply;

import dev.cdc.processor.event.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * Invariant 6 of DESIGN.md, "Apply once": per topic-partition the processor keeps the highest source position it
 * has applied, in the target database and in the same transaction as the row changes. A streamed event at or below
 * it is a duplicate (a connector failover re-sends what followed its last committed offset) and is skipped.
 *
 * <p>The row also holds the next Kafka offset to apply. Kafka offsets are committed only after the target
 * transaction, so after a crash between the two the consumer sees records again that the target already has;
 * they are skipped by offset. Without this, a re-delivered snapshot read (applied without the position test)
 * could overwrite a newer row.
 *
 * <p>The row is read {@code FOR UPDATE}: two processor instances that briefly both hold a partition during a
 * rebalance apply its batches one after the other, and the second one skips what the first applied.
 */
public final class WatermarkStore {

    public static final String TABLE = "cdc_apply_watermark";
    static final String DDL_RESOURCE = "/sql/cdc_apply_watermark.sql";

    private WatermarkStore() {
    }

    /** CREATE TABLE IF NOT EXISTS, from {@value #DDL_RESOURCE}. */
    public static void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(ddl());
        }
    }

    static String ddl() {
        try (InputStream in = WatermarkStore.class.getResourceAsStream(DDL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DDL_RESOURCE + " is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder sql = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.stripLeading().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString().trim().replaceAll(";$", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and locks the partition's row, creating it when the partition is new. */
    static Watermark lock(Connection c, String topic, int partition) throws SQLException {
        Watermark wm = select(c, topic, partition);
        if (wm != null) {
            return wm;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + TABLE
                + " (topic, kafka_partition, file_seq, pos, `event`, row_index, sub_index, next_offset, updated_at) VALUES (?, ?, NULL, NULL, NULL, NULL, NULL, 0, NOW(6))")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.executeUpdate();
        }
        wm = select(c, topic, partition);
        if (wm == null) {
            throw new SQLException("watermark row for " + topic + "-" + partition + " could not be created");
        }
        return wm;
    }

    private static Watermark select(Connection c, String topic, int partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT file_seq, pos, `event`, row_index, next_offset, sub_index FROM " + TABLE
                + " WHERE topic = ? AND kafka_partition = ? FOR UPDATE")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long fileSeq = rs.getLong(1);
                SourcePosition position = rs.wasNull() ? null : new SourcePosition(fileSeq, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(6));
                return new Watermark(topic, partition, position, rs.getLong(5));
            }
        }
    }

    static void save(Connection c, Watermark wm) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                + " SET file_seq = ?, pos = ?, `event` = ?, row_index = ?, sub_index = ?, next_offset = ?, updated_at = NOW(6) WHERE topic = ? AND kafka_partition = ?")) {
            SourcePosition p = wm.position;
            if (p == null) {
                for (int i = 1; i <= 5; i++) {
                    ps.setNull(i, Types.BIGINT);
                }
            } else {
                ps.setLong(1, p.fileSeq());
                ps.setLong(2, p.pos());
                ps.setLong(3, p.event());
                ps.setLong(4, p.row());
                ps.setLong(5, p.sub());
            }
            ps.setLong(6, wm.nextOffset);
            ps.setString(7, wm.topic);
            ps.setInt(8, wm.partition);
            ps.executeUpdate();
        }
        wm.dirty = false;
    }
}
