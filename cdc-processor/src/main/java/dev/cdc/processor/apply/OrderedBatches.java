package dev.cdc.processor.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one apply transaction, by SQL text. Rows are added to JDBC batches (sent as multi-row
 * statements with rewriteBatchedStatements): consecutive rows with the same SQL go together, and the pending batch is
 * sent before another statement is used, so the rows reach the target in event order.
 */
final class OrderedBatches implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();
    private PreparedStatement pending;

    OrderedBatches(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, to bind and {@code addBatch()}; any other statement's pending rows are sent first. */
    PreparedStatement batched(String sql) throws SQLException {
        PreparedStatement ps = prepared(sql);
        if (pending != null && pending != ps) {
            pending.executeBatch();
        }
        pending = ps;
        return ps;
    }

    /** The statement for {@code sql}, to bind and execute on its own (its update count matters); pending rows are sent first. */
    PreparedStatement single(String sql) throws SQLException {
        flush();
        return prepared(sql);
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = bySql.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            bySql.put(sql, ps);
        }
        return ps;
    }

    void flush() throws SQLException {
        if (pending != null) {
            pending.executeBatch();
            pending = null;
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : bySql.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // Closed with the connection anyway.
            }
        }
    }
}
