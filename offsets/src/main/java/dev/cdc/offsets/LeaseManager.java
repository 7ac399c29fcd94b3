package dev.cdc.offsets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's lease in the shared store: who may run the engine, and under which epoch.
 *
 * <ol>
 *   <li><b>One writer.</b> An instance may run an engine only while it holds the lease. {@code epoch} increments on
 *   every acquisition (also when the same owner re-acquires); acquisition succeeds only when the lease is free or
 *   expired by the <em>database</em> clock ({@code expires_at <= NOW(3)}), never by an instance's clock.</li>
 *   <li><b>Renew or stop.</b> The holder renews every ttl/3 with {@code ... WHERE owner_id=? AND epoch=?}. If a renew
 *   updates 0 rows ({@link #renew} returns false), or no renew has succeeded for longer than ttl minus a safety margin
 *   on the instance's monotonic clock, the instance stops its engine at once and returns to standby. (The timing loop
 *   is the caller's; this class does the SQL.)</li>
 *   <li><b>Fenced offsets.</b> Every offset or schema-history write checks, in its own transaction, that the lease
 *   owner and epoch still equal the writer's ({@link Fence}); otherwise it fails with a {@link FencingException}. A zombie can
 *   never move the shared offset.</li>
 * </ol>
 */
public final class LeaseManager {

    private static final Logger log = LoggerFactory.getLogger(LeaseManager.class);

    private static final String SELECT_FOR_UPDATE =
            "SELECT owner_id, epoch, expires_at <= NOW(3) FROM cdc_lease WHERE connector_name = ? FOR UPDATE";
    private static final String INSERT_FIRST = "INSERT INTO cdc_lease (connector_name, owner_id, epoch, expires_at, acquired_at, renewed_at)"
            + " VALUES (?, ?, 1, NOW(3) + INTERVAL ? MICROSECOND, NOW(3), NOW(3))";
    private static final String TAKE_OVER = "UPDATE cdc_lease SET owner_id = ?, epoch = epoch + 1,"
            + " expires_at = NOW(3) + INTERVAL ? MICROSECOND, acquired_at = NOW(3), renewed_at = NOW(3)"
            + " WHERE connector_name = ? AND epoch = ?";
    private static final String RENEW = "UPDATE cdc_lease SET expires_at = NOW(3) + INTERVAL ? MICROSECOND, renewed_at = NOW(3)"
            + " WHERE connector_name = ? AND owner_id = ? AND epoch = ?";
    private static final String RELEASE = "UPDATE cdc_lease SET expires_at = NOW(3) WHERE connector_name = ? AND owner_id = ? AND epoch = ?";
    private static final String CURRENT = "SELECT owner_id, epoch, expires_at, acquired_at, renewed_at, expires_at <= NOW(3)"
            + " FROM cdc_lease WHERE connector_name = ?";

    /** MySQL/MariaDB error codes that mean "another instance got there first". */
    private static final int ER_DUP_ENTRY = 1062;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private final DataSource ds;
    private final String connectorName;
    private final String ownerId;
    private final Duration ttl;
    private final long ttlMicros;

    public LeaseManager(DataSource ds, String connectorName, String ownerId, Duration ttl) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.connectorName = requireText(connectorName, "connectorName");
        this.ownerId = requireText(ownerId, "ownerId");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("Lease ttl must be positive, got " + ttl + ": set cdc.lease.ttl (e.g. 15s)");
        }
        this.ttlMicros = ttl.toNanos() / 1_000;
    }

    /**
     * Takes the lease if it is free or expired by the database clock; the new lease has the next epoch.
     *
     * @return the lease, or empty when another owner holds a valid lease or won a race for it
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public Optional<Lease> tryAcquire() {
        try (Connection c = ds.getConnection(); IdleTransactionLimit limit = IdleTransactionLimit.on(c)) {
            c.setAutoCommit(false); // the pool restores its default when the connection goes back
            try {
                Optional<Lease> lease = acquireInTransaction(c);
                if (lease.isPresent()) {
                    c.commit();
                    log.info("Connector {}: lease acquired by {} with epoch {} (ttl {})", connectorName, ownerId, lease.get().epoch(), ttl);
                } else {
                    c.rollback();
                }
                return lease;
            } catch (SQLException e) {
                StorePools.rollbackQuietly(c, e);
                if (lostRace(e)) {
                    log.debug("Connector {}: {} lost the race for the lease ({})", connectorName, ownerId, e.getMessage());
                    return Optional.empty();
                }
                throw e;
            }
        } catch (SQLException e) {
            throw storeError("acquire the lease", e);
        }
    }

    private Optional<Lease> acquireInTransaction(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_FOR_UPDATE)) {
            ps.setString(1, connectorName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    try (PreparedStatement insert = c.prepareStatement(INSERT_FIRST)) {
                        insert.setString(1, connectorName);
                        insert.setString(2, ownerId);
                        insert.setLong(3, ttlMicros);
                        insert.executeUpdate();
                    }
                    return Optional.of(new Lease(connectorName, ownerId, 1));
                }
                if (!rs.getBoolean(3)) {
                    return Optional.empty();
                }
                String previousOwner = rs.getString(1);
                long previousEpoch = rs.getLong(2);
                try (PreparedStatement update = c.prepareStatement(TAKE_OVER)) {
                    update.setString(1, ownerId);
                    update.setLong(2, ttlMicros);
                    update.setString(3, connectorName);
                    update.setLong(4, previousEpoch);
                    if (update.executeUpdate() != 1) {
                        return Optional.empty();
                    }
                }
                log.debug("Connector {}: expired lease of {} (epoch {}) taken over by {}", connectorName, previousOwner, previousEpoch, ownerId);
                return Optional.of(new Lease(connectorName, ownerId, previousEpoch + 1));
            }
        }
    }

    /**
     * Extends the lease by ttl from now (database clock).
     *
     * @return false when the lease is no longer this owner's at this epoch: the caller must stop its engine at once
     * @throws StoreUnavailableException when the store cannot be reached; the caller counts it as a failed renew
     */
    public boolean renew(Lease lease) {
        requireMine(lease);
        return update(RENEW, "renew the lease", ps -> {
            ps.setLong(1, ttlMicros);
            ps.setString(2, lease.connectorName());
            ps.setString(3, lease.ownerId());
            ps.setLong(4, lease.epoch());
        }) == 1;
    }

    /** Ends the lease now (if still held at this epoch), so that a standby can take over without waiting for the ttl. */
    public void release(Lease lease) {
        requireMine(lease);
        int rows = update(RELEASE, "release the lease", ps -> {
            ps.setString(1, lease.connectorName());
            ps.setString(2, lease.ownerId());
            ps.setLong(3, lease.epoch());
        });
        if (rows == 1) {
            log.info("Connector {}: lease epoch {} released by {}", connectorName, lease.epoch(), ownerId);
        }
    }

    /** The lease row, if the connector ever had a lease. */
    public Optional<LeaseState> current() {
        return current(ds, connectorName);
    }

    /** The lease row of any connector (for the inspection command). */
    public static Optional<LeaseState> current(DataSource ds, String connectorName) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(CURRENT)) {
            ps.setString(1, connectorName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LeaseState(connectorName, rs.getString(1), rs.getLong(2), instant(rs, 3), instant(rs, 4), instant(rs, 5),
                        rs.getBoolean(6)));
            } finally {
                endReadOnly(c);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("Connector " + connectorName + ": could not read the lease from the shared store ("
                    + StorePools.firstLine(e.getMessage()) + ")", "check that the store is reachable", e);
        }
    }

    public String connectorName() {
        return connectorName;
    }

    public String ownerId() {
        return ownerId;
    }

    public Duration ttl() {
        return ttl;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, String what, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            int rows = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return rows;
        } catch (SQLException e) {
            throw storeError(what, e);
        }
    }

    private void requireMine(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        if (!lease.connectorName().equals(connectorName)) {
            throw new IllegalArgumentException("Lease of connector " + lease.connectorName() + " given to the lease manager of " + connectorName);
        }
    }

    private StoreUnavailableException storeError(String what, SQLException e) {
        return new StoreUnavailableException("Connector " + connectorName + ": could not " + what + " in the shared store ("
                + StorePools.firstLine(e.getMessage()) + ")", "check that the store is reachable", e);
    }

    private static boolean lostRace(SQLException e) {
        int code = e.getErrorCode();
        return code == ER_DUP_ENTRY || code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT;
    }

    /** DATETIME columns hold UTC (the store's sessions run with time_zone '+00:00'). */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** Ends the read transaction a non-autocommit connection may have opened. */
    static void endReadOnly(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        if (value.length() > 190) {
            throw new IllegalArgumentException(name + " is longer than 190 characters: " + value);
        }
        return value;
    }
}
