package dev.cdc.offsets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The connector's lineage generation in the shared store ({@code cdc_lineage}, docs/design.md "Apply once with
 * lineage"). Two writers: a manual offset change bumps it inside its own transaction ({@link #bump}), and a new
 * leader records the server it streams from, bumping it when that is not the server of the stored offsets
 * ({@link #establish}, fenced like every other write of a term).
 */
public final class LineageStore {

    private static final String SELECT = "SELECT generation, source_server FROM cdc_lineage WHERE connector_name = ?";
    private static final String UPSERT = "INSERT INTO cdc_lineage (connector_name, generation, source_server, reason, changed_at)"
            + " VALUES (?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE generation = VALUES(generation),"
            + " source_server = VALUES(source_server), reason = VALUES(reason), changed_at = VALUES(changed_at)";

    private final DataSource dataSource;

    public LineageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The lineage a term streams under.
     *
     * @param previousServer the server the stored offsets came from when it differs from this term's (a bump), else null
     */
    public record Lineage(long generation, String server, boolean bumped, String previousServer) {
    }

    /** The current lineage of {@code connector}, without writing ({@code generation} 0 and no server when never set). */
    public Lineage read(String connector) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Lineage(rs.getLong(1), rs.getString(2), false, null) : new Lineage(0, null, false, null);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("Could not read the lineage of connector " + connector + " from the shared store ("
                    + StorePools.firstLine(e.getMessage()) + ")", "check that the store is reachable", e);
        }
    }

    /**
     * Records that the lease holder {@code lease} streams from {@code server}, in one fenced transaction: the first
     * term of a connector starts generation 0; after {@code offsets set}/{@code reset} (server unknown) the server is
     * recorded under the generation that command started; a server other than the recorded one starts a new
     * generation, because the stored binlog coordinates belong to the other server's history.
     *
     * @throws FencingException when {@code lease} is no longer the current one
     */
    public Lineage establish(Lease lease, String server) {
        Objects.requireNonNull(server, "server");
        try (Connection c = dataSource.getConnection(); IdleTransactionLimit limit = IdleTransactionLimit.on(c)) {
            c.setAutoCommit(false);
            try {
                Fence.check(c, lease.connectorName(), lease.ownerId(), lease.epoch());
                Lineage result;
                Lineage stored = lockedRow(c, lease.connectorName());
                if (stored == null) {
                    write(c, lease.connectorName(), 0, server, "first term of the connector");
                    result = new Lineage(0, server, false, null);
                } else if (stored.server() == null) {
                    write(c, lease.connectorName(), stored.generation(), server, "source server recorded after an offset change");
                    result = new Lineage(stored.generation(), server, false, null);
                } else if (!stored.server().equals(server)) {
                    long next = stored.generation() + 1;
                    write(c, lease.connectorName(), next, server, truncate("source server changed from " + stored.server() + " to " + server));
                    result = new Lineage(next, server, true, stored.server());
                } else {
                    result = stored;
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("Could not record the lineage of connector " + lease.connectorName() + " in the shared store ("
                    + StorePools.firstLine(e.getMessage()) + ")", "check that the store is reachable", e);
        }
    }

    /**
     * Starts a new generation inside the caller's transaction (an offset change).
     *
     * @param server the server the new offsets belong to, or null when unknown until the next term records it
     * @return the new generation
     */
    public static long bump(Connection c, String connector, String reason, String server) throws SQLException {
        long next = nextGeneration(c, connector);
        write(c, connector, next, server, truncate(reason));
        return next;
    }

    /** The server recorded with the connector's lineage (the one its offsets and schema history came from), or null. */
    public static String recordedServer(Connection c, String connector) throws SQLException {
        Lineage stored = lockedRow(c, connector);
        return stored == null ? null : stored.server();
    }

    /** The generation {@link #bump} would start; locks the row for the caller's transaction. */
    public static long nextGeneration(Connection c, String connector) throws SQLException {
        Lineage stored = lockedRow(c, connector);
        return stored == null ? 1 : stored.generation() + 1;
    }

    private static Lineage lockedRow(Connection c, String connector) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " FOR UPDATE")) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Lineage(rs.getLong(1), rs.getString(2), false, null) : null;
            }
        }
    }

    private static void write(Connection c, String connector, long generation, String server, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, connector);
            ps.setLong(2, generation);
            ps.setString(3, server);
            ps.setString(4, reason);
            ps.executeUpdate();
        }
    }

    private static String truncate(String reason) {
        return reason.length() <= 255 ? reason : reason.substring(0, 252) + "...";
    }
}
