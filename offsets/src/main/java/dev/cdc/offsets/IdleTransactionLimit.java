package dev.cdc.offsets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a MySQL store, ends the session of a writer that stops talking inside a transaction which locks the lease row
 * (a fenced write, an acquisition), so that a frozen instance (SIGSTOP, a long GC pause) cannot block the standby's
 * takeover for as long as it stays frozen. MariaDB does this itself with {@code idle_transaction_timeout}
 * ({@link StorePools}); MySQL has no such setting, but it applies a session's {@code wait_timeout} to every wait for
 * the client's next command, also inside a transaction, and a session closed that way is rolled back and its row
 * locks released. So the session's {@code wait_timeout} is lowered for the length of the transaction only and put
 * back afterwards: lowered for the whole session, the server would also close the pool's idle connections every
 * {@value StorePools#IDLE_TRANSACTION_TIMEOUT_SECONDS} s. The cost is two short statements per transaction.
 *
 * <p>This was chosen over killing the frozen session from the standby ({@code KILL} of a connection id registered
 * per term): that needs a registry table, a lock-wait-then-kill path and a check against reused ids, and a kill issued
 * by a stale standby is a new way to hurt a live leader; here only the server ends a session, and only one that
 * has been silent inside its own transaction. Fencing is unchanged: the frozen writer's transaction is rolled back,
 * its next statement fails, and a retry on a new connection is refused by {@link Fence} once the lease has moved on.
 *
 * <p>Use it as the resource after the connection, so that it is closed (the limit lifted) after the commit or
 * rollback: {@code try (Connection c = ...; IdleTransactionLimit limit = IdleTransactionLimit.on(c)) {...}}.
 */
final class IdleTransactionLimit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleTransactionLimit.class);

    private static final String LOWER = "SET SESSION wait_timeout = " + StorePools.IDLE_TRANSACTION_TIMEOUT_SECONDS;
    private static final String RESTORE = "SET SESSION wait_timeout = @@GLOBAL.wait_timeout";
    private static final IdleTransactionLimit NONE = new IdleTransactionLimit(null);

    private final Connection lowered;

    private IdleTransactionLimit(Connection lowered) {
        this.lowered = lowered;
    }

    /** Lowers the connection's idle limit on MySQL; on MariaDB the session's own idle_transaction_timeout already does. */
    static IdleTransactionLimit on(Connection c) throws SQLException {
        if (isMariaDb(c)) {
            return NONE;
        }
        try (Statement s = c.createStatement()) {
            s.execute(LOWER);
        }
        return new IdleTransactionLimit(c);
    }

    /** The server version comes from the handshake (no round trip); MariaDB's always names itself. */
    static boolean isMariaDb(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
    }

    /**
     * Puts the server's wait_timeout back. A failure here comes after the commit or rollback and does not undo it:
     * it means the session is gone (the server closed it, and the pool drops a connection that failed that way).
     */
    @Override
    public void close() {
        if (lowered == null) {
            return;
        }
        try (Statement s = lowered.createStatement()) {
            s.execute(RESTORE);
        } catch (SQLException e) {
            log.debug("Could not restore wait_timeout on a store connection ({}); the connection is dropped", StorePools.firstLine(e.getMessage()));
        }
    }
}
