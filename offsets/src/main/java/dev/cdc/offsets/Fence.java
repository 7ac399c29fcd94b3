package dev.cdc.offsets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fencing check (docs/design.md, invariant 3), shared by every writer of offsets and schema history: inside the
 * writer's transaction, lock the connector's lease row and compare its owner <em>and</em> epoch with the writer's.
 * The epoch alone is not enough: a store restored from a backup (or a hand-edited lease row) can hand an epoch number
 * that a writer already holds to another owner. The row lock is held until the writer commits, so an acquisition
 * (which locks the same row) cannot slip in between the check and the commit: either the write commits under the
 * writer's term, or it is refused.
 */
final class Fence {

    private static final String LOCK_LEASE = "SELECT epoch, owner_id FROM cdc_lease WHERE connector_name = ? FOR UPDATE";

    private Fence() {
    }

    /**
     * Must run inside an open transaction ({@code autoCommit=false}); the caller rolls back on the exception.
     *
     * @throws FencingException if the lease row is missing, has another epoch, or has the writer's epoch under another owner
     */
    static void check(Connection c, String connectorName, String writerOwner, long writerEpoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_LEASE)) {
            ps.setString(1, connectorName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new FencingException(connectorName, writerOwner, writerEpoch, null, null);
                }
                long epoch = rs.getLong(1);
                String owner = rs.getString(2);
                if (epoch != writerEpoch || !owner.equals(writerOwner)) {
                    throw new FencingException(connectorName, writerOwner, writerEpoch, epoch, owner);
                }
            }
        }
    }
}
