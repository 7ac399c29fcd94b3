package dev.cdc.processor.apply;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import javax.sql.DataSource;

/**
 * Opens the target transactions rows are applied in: a pooled connection with auto-commit off and the session settings
 * ({@link Sql#SESSION_SETUP}), which run once per physical connection, not once per transaction (a round trip each).
 */
@Singleton
public class TargetTransactions {

    private final DataSource dataSource;
    private final Set<Object> sessionReady = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    public TargetTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Connection begin() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (c.getAutoCommit()) {
                c.setAutoCommit(false);
            }
            Object physical = c.unwrap(Connection.class);
            if (!sessionReady.contains(physical)) {
                try (Statement st = c.createStatement()) {
                    st.execute(Sql.SESSION_SETUP);
                }
                sessionReady.add(physical);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            close(c);
            throw e;
        }
    }

    static void rollback(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // The connection may be the thing that failed; closing it discards the transaction anyway.
        }
    }

    static void close(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Nothing to do: the pool replaces broken connections.
        }
    }
}
