package dev.cdc.offsets.cli;

import dev.cdc.offsets.LineageStore;
import dev.cdc.offsets.OffsetLog;
import dev.cdc.offsets.OffsetLogEntry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A manual offset change ({@code set} or {@code reset}), in ONE transaction of the shared store:
 * <ol>
 *   <li>lock the connector's lease row ({@code SELECT ... FOR UPDATE}; with no row, the gap lock keeps a first
 *   acquisition out until the change commits) and refuse while the lease is live by the store's clock;</li>
 *   <li>fence any previous holder: the lease epoch is incremented and the lease left expired, so an instance that
 *   still believes it leads (paused, partitioned) can neither renew nor write an offset over the change
 *   (docs/design.md, invariant 3), while a standby may take the lease at once;</li>
 *   <li>change {@code cdc_offset} (and for reset {@code cdc_schema_history}) and append the {@code cdc_offset_log}
 *   row(s) of kind set/reset under the new epoch (0 when the connector never had a lease), owner
 *   {@code offsets-cli@<host>};</li>
 *   <li>start a new lineage generation ({@link LineageStore#bump}): the positions that follow belong to another
 *   binlog history, or repeat part of the old one, and the processor must not take them for duplicates
 *   (docs/design.md, "Apply once with lineage"). A set to another server than the one the lineage recorded also
 *   deletes the schema history: its positions belong to the other server's binlog, so the engine would not apply
 *   it; the next leader rebuilds it from the new server's tables (the connector's schema recovery).</li>
 * </ol>
 * A dry run does all of it up to the writes, then rolls back.
 */
final class OffsetChange {

    /** A live lease blocks the change; the lease row's lock wait is 10 s (StorePools), longer means a writer holds it. */
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    private static final String LOCK_LEASE = StoreView.LEASE + " FOR UPDATE";
    private static final String FENCE = "UPDATE cdc_lease SET owner_id = ?, epoch = epoch + 1, expires_at = NOW(3), acquired_at = NOW(3),"
            + " renewed_at = NOW(3) WHERE connector_name = ? AND epoch = ?";
    private static final String LOCK_OFFSETS = "SELECT partition_key, offset_value FROM cdc_offset WHERE connector_name = ? ORDER BY partition_key FOR UPDATE";
    private static final String UPSERT = "INSERT INTO cdc_offset (connector_name, partition_key, offset_value, epoch, committed_at)"
            + " VALUES (?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE offset_value = VALUES(offset_value), epoch = VALUES(epoch),"
            + " committed_at = VALUES(committed_at)";
    private static final String DELETE_OFFSETS = "DELETE FROM cdc_offset WHERE connector_name = ?";
    private static final String COUNT_HISTORY = "SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = ?";
    private static final String DELETE_HISTORY = "DELETE FROM cdc_schema_history WHERE connector_name = ?";

    /**
     * What was (or, in a dry run, would be) changed.
     *
     * @param before the stored offsets before the change, partition key → offset JSON
     * @param partitionKey the partition written by set (null for reset)
     * @param after the offset JSON written by set (null for reset)
     * @param epoch the epoch of the change (the new lease epoch, or 0 without a lease)
     * @param fenced the lease that was fenced (owner and epoch before the change), or null without a lease row
     * @param generation the lineage generation the change starts
     * @param previousServer for a set to another server: the server the schema history came from (it is deleted), else null
     */
    record Result(String connector, String action, boolean dryRun, Map<String, String> before, String partitionKey, String after, long epoch,
            String owner, StoreView.LeaseView fenced, int schemaHistoryRecords, long generation, String previousServer) {
    }

    private OffsetChange() {
    }

    static String owner(Map<String, String> env) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = env.getOrDefault("HOSTNAME", "localhost");
        }
        return "offsets-cli@" + host;
    }

    /** @param server the identity of the server the offset belongs to */
    static Result set(StoreView store, String connector, String offsetJson, boolean dryRun, String owner, String server) {
        return inTransaction(store, connector, "set", dryRun, owner, offsetJson, server);
    }

    static Result reset(StoreView store, String connector, boolean dryRun, String owner) {
        return inTransaction(store, connector, "reset", dryRun, owner, null, null);
    }

    /** Refuses with exit code 4 when the lease is live (also used before the transaction, for an early answer). */
    static void refuseIfLive(String connector, StoreView.LeaseView lease) {
        if (lease != null && lease.live()) {
            throw new CliException(ExitCode.REFUSED, "Refused: connector " + connector + " is led by " + lease.owner() + " (epoch " + lease.epoch()
                    + ", lease expires in " + lease.expiresInMs() + " ms)", "stop its instances first");
        }
    }

    private static Result inTransaction(StoreView store, String connector, String action, boolean dryRun, String owner, String offsetJson,
                                        String server) {
        DataSource ds = store.dataSource();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result result = change(c, connector, action, dryRun, owner, offsetJson, server);
                if (dryRun) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                throw new CliException(ExitCode.REFUSED, "Refused: the lease row of connector " + connector + " is locked by a running instance",
                        "stop its instances first");
            }
            throw CliException.unreachable("Could not " + action + " the offset of connector " + connector + " in the shared store " + store.config().safeUrl()
                    + " (" + Text.rootCause(e) + "); nothing was written", "check that the store is reachable, then run the command again", e);
        }
    }

    private static Result change(Connection c, String connector, String action, boolean dryRun, String owner, String offsetJson, String server)
            throws SQLException {
        StoreView.LeaseView lease = null;
        try (PreparedStatement ps = c.prepareStatement(LOCK_LEASE)) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    lease = StoreView.leaseView(rs);
                }
            }
        }
        refuseIfLive(connector, lease);
        Map<String, String> before = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_OFFSETS)) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    before.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        int history;
        try (PreparedStatement ps = c.prepareStatement(COUNT_HISTORY)) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                history = rs.getInt(1);
            }
        }
        long epoch = lease == null ? 0 : lease.epoch() + 1;
        String key = "set".equals(action) ? partitionKey(connector, before) : null;
        String recorded = LineageStore.recordedServer(c, connector);
        String previousServer = server != null && recorded != null && !recorded.equals(server) ? recorded : null;
        long generation = LineageStore.nextGeneration(c, connector);
        Result result = new Result(connector, action, dryRun, before, key, offsetJson, epoch, owner, lease, history, generation, previousServer);
        if (dryRun) {
            return result;
        }
        if (lease != null) {
            try (PreparedStatement ps = c.prepareStatement(FENCE)) {
                ps.setString(1, owner);
                ps.setString(2, connector);
                ps.setLong(3, lease.epoch());
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("lease row of " + connector + " changed under its lock");
                }
            }
        }
        LineageStore.bump(c, connector, "offsets " + action + " by " + owner, server);
        if (previousServer != null) {
            try (PreparedStatement ps = c.prepareStatement(DELETE_HISTORY)) {
                ps.setString(1, connector);
                ps.executeUpdate();
            }
        }
        if ("set".equals(action)) {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setString(1, connector);
                ps.setString(2, key);
                ps.setString(3, offsetJson);
                ps.setLong(4, epoch);
                ps.executeUpdate();
            }
            OffsetLog.append(c, connector, key, offsetJson, epoch, owner, OffsetLogEntry.SET);
        } else {
            try (PreparedStatement ps = c.prepareStatement(DELETE_OFFSETS)) {
                ps.setString(1, connector);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(DELETE_HISTORY)) {
                ps.setString(1, connector);
                ps.executeUpdate();
            }
            List<String> keys = new ArrayList<>(before.keySet());
            if (keys.isEmpty()) {
                keys.add(Offsets.partitionKey(connector));
            }
            for (String k : keys) {
                OffsetLog.append(c, connector, k, null, epoch, owner, OffsetLogEntry.RESET);
            }
        }
        return result;
    }

    /** The partition set writes: the connector's existing one, else {@code ["<name>",{"server":"<name>"}]}. */
    private static String partitionKey(String connector, Map<String, String> before) {
        String standard = Offsets.partitionKey(connector);
        if (before.size() == 1) {
            return before.keySet().iterator().next();
        }
        return standard;
    }
}
