package dev.cdc.processor.apply;

import dev.cdc.contract.SourcePosition;
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
 * "Apply once with lineage" (docs/design.md): per topic-partition the processor keeps the highest source position it
 * has applied, lineage generation first, in the target database and in the same transaction as the row changes. A
 * streamed event at or below it is a duplicate (a connector failover re-sends what followed its last committed offset)
 * and is skipped; an event of a newer generation never is.
 *
 * <p>The row also holds the next Kafka offset to apply. Kafka offsets are committed only after the target
 * transaction, so after a crash between the two the consumer sees records again that the target already has;
 * they are skipped by offset. Without this, a re-delivered snapshot read (applied without the position test)
 * could overwrite a newer row.
 *
 * <p>The row also names the topic's id: offsets of a deleted and recreated topic start again at 0, so the next offset
 * of the old topic must not be used to skip records of the new one ({@link #positions}).
 *
 * <p>The row is read {@code FOR UPDATE}: two processor instances that briefly both hold a partition during a
 * rebalance apply its batches one after the other, and the second one skips what the first applied.
 */
public final class WatermarkStore {

    public static final String TABLE = "cdc_apply_watermark";
    static final String DDL_RESOURCE = "/sql/cdc_apply_watermark.sql";

    private WatermarkStore() {
    }

    /** Columns added after the first version of the table, with their definitions. */
    private static final String[][] ADDED_COLUMNS = {
        {"generation", "BIGINT NOT NULL DEFAULT 0 AFTER kafka_partition"},
        {"topic_id", "VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER next_offset"},
    };

    /** CREATE TABLE IF NOT EXISTS, from {@value #DDL_RESOURCE}, then the columns an older table lacks. */
    public static void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(ddl());
        }
        for (String[] column : ADDED_COLUMNS) {
            boolean present;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE()"
                    + " AND table_name = ? AND column_name = ?")) {
                ps.setString(1, TABLE);
                ps.setString(2, column[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    present = rs.next();
                }
            }
            if (!present) {
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER TABLE " + TABLE + " ADD COLUMN " + column[0] + " " + column[1]);
                }
            }
        }
    }

    /** The table of snapshot starts ({@link TableSnapshots}), which lives beside the watermarks. */
    public static void createSnapshotTable(Connection c) throws SQLException {
        TableSnapshots.createTable(c);
    }

    /** The stored state of every partition of {@code topic}, by partition (no lock: for positioning the consumer). */
    public static java.util.Map<Integer, Watermark> positions(Connection c, String topic) throws SQLException {
        java.util.Map<Integer, Watermark> marks = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE topic = ?")) {
            ps.setString(1, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Watermark wm = read(rs, topic);
                    marks.put(wm.partition, wm);
                }
            }
        }
        return marks;
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
                + " (topic, kafka_partition, generation, file_seq, pos, `event`, row_index, sub_index, next_offset, updated_at)"
                + " VALUES (?, ?, 0, NULL, NULL, NULL, NULL, NULL, 0, NOW(6))")) {
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

    /**
     * Reads and locks the rows of {@code partitions} in one statement, in primary-key order (one global order, so that two
     * instances sharing partitions during a rebalance cannot deadlock); a partition without a row gets one first.
     */
    static java.util.Map<org.apache.kafka.common.TopicPartition, Watermark> lockAll(Connection c,
            java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) throws SQLException {
        java.util.List<org.apache.kafka.common.TopicPartition> sorted = new java.util.ArrayList<>(partitions);
        sorted.sort(BatchWatermarks.PARTITION_ORDER);
        java.util.Map<org.apache.kafka.common.TopicPartition, Watermark> marks = new java.util.HashMap<>();
        if (sorted.isEmpty()) {
            return marks;
        }
        java.util.StringJoiner where = new java.util.StringJoiner(" OR ");
        sorted.forEach(tp -> where.add("(topic = ? AND kafka_partition = ?)"));
        try (PreparedStatement ps = c.prepareStatement(SELECT_WITH_TOPIC + " WHERE " + where + " ORDER BY topic, kafka_partition FOR UPDATE")) {
            int i = 1;
            for (org.apache.kafka.common.TopicPartition tp : sorted) {
                ps.setString(i++, tp.topic());
                ps.setInt(i++, tp.partition());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Watermark wm = read(rs, rs.getString(10));
                    marks.put(new org.apache.kafka.common.TopicPartition(wm.topic, wm.partition), wm);
                }
            }
        }
        if (marks.size() < sorted.size()) {
            // New partitions (rare): create and lock their rows one by one, in the same order.
            for (org.apache.kafka.common.TopicPartition tp : sorted) {
                if (!marks.containsKey(tp)) {
                    marks.put(tp, lock(c, tp.topic(), tp.partition()));
                }
            }
        }
        return marks;
    }

    private static final String SELECT_WITH_TOPIC = "SELECT kafka_partition, generation, file_seq, pos, `event`, row_index, sub_index,"
            + " next_offset, topic_id, topic FROM " + TABLE;

    private static final String SELECT = "SELECT kafka_partition, generation, file_seq, pos, `event`, row_index, sub_index, next_offset, topic_id"
            + " FROM " + TABLE;

    private static Watermark select(Connection c, String topic, int partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE topic = ? AND kafka_partition = ? FOR UPDATE")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, topic) : null;
            }
        }
    }

    private static Watermark read(ResultSet rs, String topic) throws SQLException {
        long fileSeq = rs.getLong(3);
        SourcePosition position = rs.wasNull() ? null
                : new SourcePosition(rs.getLong(2), fileSeq, rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
        return new Watermark(topic, rs.getInt(1), position, rs.getLong(8), rs.getString(9));
    }

    /**
     * Saves a locked row; written as an upsert so that the rows of all partitions of a transaction go in one multi-row
     * statement (a batch of UPDATEs would cost a round trip each).
     */
    private static final String SAVE = "INSERT INTO " + TABLE
            + " (file_seq, pos, `event`, row_index, sub_index, generation, next_offset, topic_id, topic, kafka_partition, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(6)) ON DUPLICATE KEY UPDATE file_seq = VALUES(file_seq), pos = VALUES(pos),"
            + " `event` = VALUES(`event`), row_index = VALUES(row_index), sub_index = VALUES(sub_index), generation = VALUES(generation),"
            + " next_offset = VALUES(next_offset), topic_id = VALUES(topic_id), updated_at = VALUES(updated_at)";

    static void save(Connection c, Watermark wm) throws SQLException {
        saveAll(c, java.util.List.of(wm));
    }

    /** Writes {@code marks} in one JDBC batch (one statement). */
    static void saveAll(Connection c, java.util.List<Watermark> marks) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(SAVE)) {
            for (Watermark wm : marks) {
                bind(ps, wm);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        for (Watermark wm : marks) {
            wm.dirty = false;
        }
    }

    private static void bind(PreparedStatement ps, Watermark wm) throws SQLException {
        SourcePosition p = wm.position;
        if (p == null) {
            for (int i = 1; i <= 5; i++) {
                ps.setNull(i, Types.BIGINT);
            }
            ps.setLong(6, 0);
        } else {
            ps.setLong(1, p.fileSeq());
            ps.setLong(2, p.pos());
            ps.setLong(3, p.event());
            ps.setLong(4, p.row());
            ps.setLong(5, p.sub());
            ps.setLong(6, p.generation());
        }
        ps.setLong(7, wm.nextOffset);
        ps.setString(8, wm.topicId);
        ps.setString(9, wm.topic);
        ps.setInt(10, wm.partition);
    }
}
