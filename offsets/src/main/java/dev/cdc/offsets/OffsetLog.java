package dev.cdc.offsets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The offset log ({@code cdc_offset_log}): the append-only history of offset changes. The engine's commits are
 * appended by {@link FencedOffsetBackingStore}; this class reads the log and records manual changes.
 */
public final class OffsetLog {

    private static final Set<String> KINDS = Set.of(OffsetLogEntry.COMMIT, OffsetLogEntry.SET, OffsetLogEntry.RESET);

    private static final String RECENT = "SELECT id, partition_key, offset_value, epoch, owner_id, kind, committed_at"
            + " FROM cdc_offset_log WHERE connector_name = ? ORDER BY id DESC LIMIT ?";
    private static final String APPEND = "INSERT INTO cdc_offset_log"
            + " (connector_name, partition_key, offset_value, epoch, owner_id, kind, committed_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))";

    private final DataSource ds;

    public OffsetLog(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** The newest {@code limit} entries of the connector, newest first. */
    public List<OffsetLogEntry> recent(String connector, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<OffsetLogEntry> entries = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(RECENT)) {
                ps.setString(1, connector);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new OffsetLogEntry(rs.getLong(1), connector, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                                rs.getString(6), LeaseManager.instant(rs, 7)));
                    }
                }
            } finally {
                LeaseManager.endReadOnly(c);
            }
        } catch (SQLException e) {
            throw failure("read the offset log", connector, e);
        }
        return entries;
    }

    /**
     * Appends a manual change in its own transaction.
     *
     * @param offsetValue the new offset JSON, or null for a removed partition
     * @param kind {@link OffsetLogEntry#SET} or {@link OffsetLogEntry#RESET} (or {@link OffsetLogEntry#COMMIT})
     */
    public void append(String connector, String partitionKey, String offsetValue, long epoch, String ownerId, String kind) {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            append(c, connector, partitionKey, offsetValue, epoch, ownerId, kind);
            if (!autoCommit) {
                c.commit();
            }
        } catch (SQLException e) {
            throw failure("append to the offset log", connector, e);
        }
    }

    /**
     * Appends within the caller's transaction, so that a manual offset change and its log row commit together.
     */
    public static void append(Connection c, String connector, String partitionKey, String offsetValue, long epoch, String ownerId, String kind)
            throws SQLException {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("Offset log kind must be one of " + KINDS + ", got " + kind);
        }
        try (PreparedStatement ps = c.prepareStatement(APPEND)) {
            ps.setString(1, Objects.requireNonNull(connector, "connector"));
            ps.setString(2, Objects.requireNonNull(partitionKey, "partitionKey"));
            ps.setString(3, offsetValue);
            ps.setLong(4, epoch);
            ps.setString(5, Objects.requireNonNull(ownerId, "ownerId"));
            ps.setString(6, kind);
            ps.executeUpdate();
        }
    }

    private static StoreUnavailableException failure(String what, String connector, SQLException e) {
        return new StoreUnavailableException("Connector " + connector + ": could not " + what + " in the shared store ("
                + StorePools.firstLine(e.getMessage()) + ")", "check that the store is reachable", e);
    }
}
