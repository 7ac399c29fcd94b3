package dev.cdc.processor.apply;

import com.mysql.cj.jdbc.JdbcConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of one apply transaction, sent in event order. Upserts of consecutive rows with the same columns go
 * to the target as one multi-row statement ({@link DmlText.UpsertRows}); other rows are added to JDBC batches by SQL
 * text (multi-statement round trips with rewriteBatchedStatements). Whatever is pending is sent before another
 * statement is used, so the rows reach the target in event order.
 */
final class OrderedBatches implements AutoCloseable {

    /**
     * Parameters per multi-row statement at most. Statements are sent in sizes of powers of two rows, so that a table's
     * few statement texts stay in the driver's statement cache (cachePrepStmts): parsing a new text of a 500-row
     * statement cost a sixth of the processor's CPU on a wide table (docs/benchmarks.md, "Processor throughput").
     */
    static final int MAX_PARAMETERS = 8_192;
    /** Rows per multi-row statement at most. */
    static final int MAX_ROWS = 512;
    /** Estimated bytes per multi-row statement at most, within every server's max_allowed_packet (16 MiB by default). */
    static final long MAX_BYTES = 4L << 20;

    private final Connection connection;
    private final long maxBytes;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();
    private PreparedStatement pending;
    private PendingRows rows;

    OrderedBatches(Connection connection) throws SQLException {
        this.connection = connection;
        this.maxBytes = Math.min(MAX_BYTES, maxAllowedPacket(connection) / 2);
    }

    /** Adds one row (its values in column order, as bound) to the pending upsert; other pending rows are sent first. */
    void upsert(DmlText.UpsertRows statement, Object[] values) throws SQLException {
        sendBatch();
        if (rows != null && !rows.statement.equals(statement)) {
            sendRows();
        }
        if (rows == null) {
            rows = new PendingRows(statement);
        }
        rows.add(values);
        if (rows.values.size() >= rowsPerStatement(statement.columns()) || rows.bytes >= maxBytes) {
            sendRows();
        }
    }

    /** The statement for {@code sql}, to bind and {@code addBatch()}; any other statement's pending rows are sent first. */
    PreparedStatement batched(String sql) throws SQLException {
        sendRows();
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
        sendRows();
        sendBatch();
    }

    private void sendBatch() throws SQLException {
        if (pending != null) {
            pending.executeBatch();
            pending = null;
        }
    }

    private void sendRows() throws SQLException {
        if (rows == null) {
            return;
        }
        PendingRows sending = rows;
        rows = null;
        int sent = 0;
        while (sent < sending.values.size()) {
            int count = Integer.highestOneBit(sending.values.size() - sent);
            try (PreparedStatement ps = connection.prepareStatement(sending.statement.text(count))) {
                int index = 1;
                for (Object[] row : sending.values.subList(sent, sent + count)) {
                    for (Object value : row) {
                        ValueBinder.bind(ps, index++, value);
                    }
                }
                ps.executeUpdate();
            }
            sent += count;
        }
    }

    /** The largest power of two of rows within {@link #MAX_ROWS} and {@link #MAX_PARAMETERS}. */
    static int rowsPerStatement(int columns) {
        return Integer.highestOneBit(Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / Math.max(1, columns))));
    }

    /** The server's max_allowed_packet; when the driver cannot say, twice {@link #MAX_BYTES}, which every server allows. */
    private static long maxAllowedPacket(Connection connection) throws SQLException {
        long assumed = MAX_BYTES * 2;
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return assumed;
        }
        String value = connection.unwrap(JdbcConnection.class).getSession().getServerSession().getServerVariable("max_allowed_packet");
        try {
            return value == null ? assumed : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return assumed;
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

    /** Rows waiting for their multi-row upsert, with an estimate of the statement's size on the wire. */
    private static final class PendingRows {
        private final DmlText.UpsertRows statement;
        private final List<Object[]> values = new ArrayList<>();
        private long bytes;

        PendingRows(DmlText.UpsertRows statement) {
            this.statement = statement;
            this.bytes = statement.head().length() + statement.tail().length();
        }

        void add(Object[] row) {
            values.add(row);
            bytes += statement.row().length() + 2;
            for (Object value : row) {
                bytes += estimatedBytes(value);
            }
        }

        /** Text is sent as UTF-8 (up to 3 bytes per UTF-16 unit) and escaped; binary values escaped or as hex. */
        private static long estimatedBytes(Object value) {
            if (value instanceof String s) {
                return 2 + 4L * s.length();
            }
            if (value instanceof byte[] b) {
                return 10 + 2L * b.length;
            }
            return 32;
        }
    }
}
