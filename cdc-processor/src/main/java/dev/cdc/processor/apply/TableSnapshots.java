package dev.cdc.processor.apply;

import dev.cdc.contract.SourcePosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The latest snapshot of each target table ({@code cdc_table_snapshot}, docs/design.md "Converge"): the position at
 * which the connector's last snapshot of the table started. That snapshot supersedes every earlier change of the table,
 * so a re-snapshot converges: when its first marker arrives (on whichever partition) the table's earlier copy is
 * removed in the same transaction, and a change older than the snapshot that is applied later (from a partition that
 * lags behind) is skipped instead of bringing back a row the snapshot no longer has.
 *
 * <p>The rows are read {@code LOCK IN SHARE MODE} by every apply transaction that touches the table, and written
 * {@code FOR UPDATE} by the one that starts a snapshot: an older change is either committed before the earlier copy is
 * removed (and removed with it) or sees the new snapshot and is skipped.
 */
final class TableSnapshots {

    static final String TABLE = "cdc_table_snapshot";
    private static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + " table_name VARCHAR(64) NOT NULL, generation BIGINT NOT NULL, file_seq BIGINT NOT NULL, pos BIGINT NOT NULL,"
            + " started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (table_name)) ENGINE=InnoDB";
    /** MySQL's "Table '...' doesn't exist": a snapshot of a table the target does not have yet has nothing to remove. */
    private static final int ER_NO_SUCH_TABLE = 1146;

    private TableSnapshots() {
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(DDL);
        }
    }

    /** The snapshot start of each of {@code tables} that has one, locked in share mode for the caller's transaction. */
    static Map<String, SourcePosition> lock(Connection c, Collection<String> tables) throws SQLException {
        Map<String, SourcePosition> starts = new HashMap<>();
        if (tables.isEmpty()) {
            return starts;
        }
        StringJoiner marks = new StringJoiner(", ");
        tables.forEach(t -> marks.add("?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, generation, file_seq, pos FROM " + TABLE
                + " WHERE table_name IN (" + marks + ") LOCK IN SHARE MODE")) {
            int i = 1;
            for (String t : tables) {
                ps.setString(i++, t);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    starts.put(rs.getString(1), new SourcePosition(rs.getLong(2), rs.getLong(3), rs.getLong(4), 0, 0, 0));
                }
            }
        }
        return starts;
    }

    /**
     * Records that a snapshot of {@code table} starts at {@code start} and removes the table's earlier copy, unless
     * that snapshot (or a newer one) was recorded already.
     *
     * @return the number of rows removed, or -1 when the snapshot was recorded before
     */
    static long start(Connection c, String table, SourcePosition start) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT generation, file_seq, pos FROM " + TABLE + " WHERE table_name = ? FOR UPDATE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && start.compareTo(new SourcePosition(rs.getLong(1), rs.getLong(2), rs.getLong(3), 0, 0, 0)) <= 0) {
                    return -1;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (table_name, generation, file_seq, pos, started_at)"
                + " VALUES (?, ?, ?, ?, NOW(6)) ON DUPLICATE KEY UPDATE generation = VALUES(generation), file_seq = VALUES(file_seq),"
                + " pos = VALUES(pos), started_at = VALUES(started_at)")) {
            ps.setString(1, table);
            ps.setLong(2, start.generation());
            ps.setLong(3, start.fileSeq());
            ps.setLong(4, start.pos());
            ps.executeUpdate();
        }
        try (Statement st = c.createStatement()) {
            return st.executeUpdate("DELETE FROM " + Sql.quote(table));
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return 0;
            }
            throw e;
        }
    }

    /** The snapshot a position belongs to, or the point a streamed change is compared with: its binlog coordinates only. */
    static SourcePosition coordinates(SourcePosition p) {
        return new SourcePosition(p.generation(), p.fileSeq(), p.pos(), 0, 0, 0);
    }
}
