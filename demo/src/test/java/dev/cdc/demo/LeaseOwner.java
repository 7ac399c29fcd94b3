package dev.cdc.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** Which connector instance holds a connector's lease, read from the store's {@code cdc_lease}. */
final class LeaseOwner {

    private LeaseOwner() {
    }

    /** The instance id of the unexpired lease's owner, once there is one. */
    static String await(Connection store, String connectorName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement ps = store.prepareStatement(
                    "SELECT owner_id FROM cdc_lease WHERE connector_name = ? AND expires_at > NOW(3)")) {
                ps.setString(1, connectorName);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            } catch (SQLException e) {
                // the store's tables may not exist yet
            }
            AppProcess.sleep(100);
        }
        throw new AssertionError("no leader of " + connectorName + " within " + timeout);
    }
}
