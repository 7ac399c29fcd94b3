package dev.cdc.offsets;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Builds the small HikariCP pools of this module and turns connection failures into one-line
 * {@link StoreUnavailableException}s. Every session runs in UTC, so that DATETIME values written with NOW(3) read
 * back as the same instants on every instance. The isolation level is the server's (REPEATABLE READ by default): the
 * lease and fencing statements use locking reads, which see the latest committed row at any level.
 */
final class StorePools {

    /** How long to wait for a connection (TCP connect and pool checkout). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A statement that gets no answer for this long fails, so a hung store cannot hang a writer forever. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** Row locks (the lease row) are held for milliseconds; waiting longer means something is wrong. */
    static final int LOCK_WAIT_TIMEOUT_SECONDS = 10;

    /**
     * A writer paused or frozen inside a transaction (SIGSTOP, a long GC pause) would keep the lease row locked and
     * block the standby's takeover for as long as it stays frozen. MariaDB ends such a session after this many
     * seconds idle inside a transaction, which releases the lock; the frozen writer's next statement then fails.
     * MySQL has no such setting: there {@link IdleTransactionLimit} lowers the session's wait_timeout to the same
     * value for the length of each such transaction.
     */
    static final int IDLE_TRANSACTION_TIMEOUT_SECONDS = 2;

    /** The {@code /*M! ... *\/} part is executed by MariaDB only; MySQL reads it as a comment. */
    private static final String INIT_SQL = "SET time_zone = '+00:00', innodb_lock_wait_timeout = " + LOCK_WAIT_TIMEOUT_SECONDS
            + " /*M!, idle_transaction_timeout = " + IDLE_TRANSACTION_TIMEOUT_SECONDS + " */";

    private StorePools() {
    }

    /**
     * A started pool whose first connection has been opened (so a bad URL or password fails here).
     *
     * @param autoCommit false for the fenced writers, which always work in explicit transactions
     */
    static HikariDataSource open(StoreConfig cfg, String poolName, int maxSize, boolean autoCommit) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(poolName);
        hc.setJdbcUrl(cfg.url());
        hc.setUsername(cfg.user());
        hc.setPassword(cfg.password());
        hc.setMaximumPoolSize(maxSize);
        hc.setMinimumIdle(Math.min(1, maxSize));
        hc.setAutoCommit(autoCommit);
        hc.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        hc.setValidationTimeout(Math.min(3_000, CONNECT_TIMEOUT.toMillis()));
        hc.setInitializationFailTimeout(1);
        hc.setConnectionInitSql(INIT_SQL);
        hc.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        hc.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toMillis()));
        // Skip SET autocommit / isolation round trips when the session already has the wanted state.
        hc.addDataSourceProperty("useLocalSessionState", "true");
        // One multi-row INSERT per batch instead of one round trip per row.
        hc.addDataSourceProperty("rewriteBatchedStatements", "true");
        hc.addDataSourceProperty("cachePrepStmts", "true");
        hc.addDataSourceProperty("characterEncoding", "UTF-8");
        cfg.tls().driverProperties().forEach(hc::addDataSourceProperty);
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw unavailable(cfg, e);
        }
    }

    /** One line naming the store and the fix, chosen from the SQL state / error code of the root failure. */
    static StoreUnavailableException unavailable(StoreConfig cfg, Throwable failure) {
        SQLException sql = find(failure, SQLException.class);
        String url = cfg.safeUrl();
        if (sql != null && (sql.getErrorCode() == 1045 || (sql.getSQLState() != null && sql.getSQLState().startsWith("28")))) {
            return new StoreUnavailableException("Shared store " + url + " refused user " + cfg.user() + " (" + firstLine(sql.getMessage())
                    + ")", "check " + StoreConfig.USER + " and " + StoreConfig.PASSWORD, failure);
        }
        if (sql != null && sql.getErrorCode() == 1049) {
            return new StoreUnavailableException("Shared store " + url + " has no such database (" + firstLine(sql.getMessage())
                    + ")", "create it (see sql/store/store-user.sql) or fix " + StoreConfig.URL, failure);
        }
        if (sql != null && (sql.getErrorCode() == 1044 || sql.getErrorCode() == 1142)) {
            return new StoreUnavailableException("Shared store " + url + " denies user " + cfg.user() + " (" + firstLine(sql.getMessage())
                    + ")", "grant it ALL on the store database (see sql/store/store-user.sql)", failure);
        }
        return new StoreUnavailableException("Shared store " + url + " unreachable (" + reason(failure)
                + ")", "check " + StoreConfig.URL + " and that the database is running", failure);
    }

    /** True when the failure is about reaching or logging in to the store, not about a statement. */
    static boolean isConnectionOrAccessFailure(Throwable failure) {
        SQLException sql = find(failure, SQLException.class);
        if (sql == null) {
            return false;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        int code = sql.getErrorCode();
        return state.startsWith("08") || state.startsWith("28") || code == 1044 || code == 1045 || code == 1049 || code == 1142;
    }

    /** The most specific message in the cause chain, on one line. */
    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : firstLine(message);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return (nl < 0 ? trimmed : trimmed.substring(0, nl)).strip();
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Rolls back quietly: used on the way out of a failed transaction, where the first error is the one to report. */
    static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
