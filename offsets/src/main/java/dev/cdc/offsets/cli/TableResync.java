package dev.cdc.offsets.cli;

import dev.cdc.contract.BinlogCoordinates;
import dev.cdc.contract.SourcePosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes a target table (or a primary-key range of it) equal to the source while the pipeline streams, coordinated with
 * the processor through its watermark rows (docs/design.md, "Resync").
 *
 * <p>With a primary key, chunk by chunk, in one target transaction each: lock the topic's watermark rows (the processor
 * cannot apply a change of the table meanwhile), read the source's rows of the chunk, then replace the target rows
 * that differ and delete those the source no longer has. Every change the processor applies later comes from a source
 * transaction committed after the lock or already reflected in what was copied; replaying a full row image or a delete
 * by key onto the copied row converges to the source, so nothing written here is overwritten by an older state.
 *
 * <p>Without a primary key, replaying a change is not idempotent (an insert would add a twin row), so the whole table is
 * copied as of one binlog position P read with the rows (MariaDB: START TRANSACTION WITH CONSISTENT SNAPSHOT and
 * binlog_snapshot_file/position), and in the same target transaction the topic's watermarks are raised to just below
 * P: the processor then skips exactly the changes the copy already holds.
 */
final class TableResync {

    /** What one table's resync did. */
    record Result(String table, String targetTable, int chunks, long sourceRows, long copied, long deleted, String position, long millis) {
    }

    private final Connection source;
    private final Connection target;
    private final int chunkSize;

    TableResync(Connection source, Connection target, int chunkSize) {
        this.source = source;
        this.target = target;
        this.chunkSize = chunkSize;
    }

    Result keyed(TableShape shape, String targetDb, String targetTable, String topic, List<String> from, List<String> to) throws SQLException {
        long started = System.nanoTime();
        RowSql sourceSql = new RowSql(shape, Databases.isMariaDb(source));
        RowSql targetSql = new RowSql(shape, Databases.isMariaDb(target));
        String targetQualified = TableShape.quote(targetDb) + "." + TableShape.quote(targetTable);
        List<String> lower = from;
        boolean inclusive = from != null;
        int chunks = 0;
        long rows = 0;
        long copied = 0;
        long deleted = 0;
        while (true) {
            List<String> end = chunkEnd(shape, sourceSql, new KeyRange(lower, inclusive, to));
            KeyRange chunk = new KeyRange(lower, inclusive, end == null ? to : end);
            long[] done = copyChunk(shape, sourceSql, targetSql, targetQualified, topic, chunk);
            chunks++;
            rows += done[0];
            copied += done[1];
            deleted += done[2];
            if (end == null) {
                break;
            }
            lower = end;
            inclusive = false;
        }
        return new Result(shape.name(), targetTable, chunks, rows, copied, deleted, null, (System.nanoTime() - started) / 1_000_000);
    }

    /** The last key of the next chunk within {@code range}, or null when the rest of the range fits in one chunk. */
    private List<String> chunkEnd(TableShape shape, RowSql sql, KeyRange range) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql.chunkEnd(shape.qualified(), range, chunkSize))) {
            range.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> v = new ArrayList<>();
                for (int i = 1; i <= shape.key().size(); i++) {
                    v.add(rs.getString(i));
                }
                return v;
            }
        }
    }

    /** {source rows, rows written, rows deleted} of one chunk, in one target transaction under the watermark lock. */
    private long[] copyChunk(TableShape shape, RowSql sourceSql, RowSql targetSql, String targetTable, String topic, KeyRange chunk)
            throws SQLException {
        int keyColumns = shape.key().size();
        begin();
        try {
            ProcessorWatermarks.lock(target, topic);
            Map<List<String>, String> src = keyHashes(source, sourceSql.keyHashes(shape.qualified(), chunk), chunk, keyColumns);
            Map<List<String>, String> tgt = keyHashes(target, targetSql.keyHashes(targetTable, chunk), chunk, keyColumns);
            Set<List<String>> remove = new LinkedHashSet<>();
            Set<List<String>> copy = new LinkedHashSet<>();
            for (Map.Entry<List<String>, String> e : tgt.entrySet()) {
                if (!Objects.equals(e.getValue(), src.get(e.getKey()))) {
                    remove.add(e.getKey());
                }
            }
            for (Map.Entry<List<String>, String> e : src.entrySet()) {
                if (!Objects.equals(e.getValue(), tgt.get(e.getKey()))) {
                    copy.add(e.getKey());
                }
            }
            deleteKeys(shape, targetTable, new ArrayList<>(remove));
            long written = insertRows(shape, targetTable, readRows(shape, "WHERE " + keyIn(shape, copy.size()), new ArrayList<>(copy)));
            target.commit();
            long extra = remove.stream().filter(k -> !src.containsKey(k)).count();
            return new long[] {src.size(), written, extra};
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    Result keyless(TableShape shape, String targetDb, String targetTable, String topic) throws SQLException {
        long started = System.nanoTime();
        if (!Databases.isMariaDb(source)) {
            throw CliException.usage("Table " + shape.name() + " has no primary key and the source is MySQL: resync copies such a table as of the"
                    + " binlog position of a consistent snapshot, which only MariaDB reports", "add a primary key to the table, or re-snapshot it");
        }
        String targetQualified = TableShape.quote(targetDb) + "." + TableShape.quote(targetTable);
        begin();
        try {
            List<ProcessorWatermarks.Mark> marks = ProcessorWatermarks.lock(target, topic);
            if (marks.isEmpty()) {
                throw CliException.usage("The processor has no watermark for topic " + topic + " yet (it applied nothing of " + shape.name() + ")",
                        "wait until it has applied the table's snapshot, or check --topic-prefix");
            }
            List<List<String>> rows;
            String file;
            long pos;
            boolean autoCommit = source.getAutoCommit();
            source.setAutoCommit(false);
            try (Statement s = source.createStatement()) {
                s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                file = status(s, "binlog_snapshot_file");
                pos = Long.parseLong(status(s, "binlog_snapshot_position"));
                rows = readRows(shape, "", List.of());
                source.commit();
            } finally {
                source.setAutoCommit(autoCommit);
            }
            long generation = marks.stream().mapToLong(ProcessorWatermarks.Mark::generation).max().orElse(0);
            // Every transaction in the snapshot starts before pos; the next one starts at pos: just below it is "already applied".
            SourcePosition copiedUpTo = new SourcePosition(generation, BinlogCoordinates.fileSequence(file), pos - 1, 0, 0, 0);
            long deleted;
            try (Statement s = target.createStatement()) {
                deleted = s.executeUpdate("DELETE FROM " + targetQualified);
            }
            long written = insertRows(shape, targetQualified, rows);
            for (ProcessorWatermarks.Mark mark : marks) {
                ProcessorWatermarks.raise(target, topic, mark, copiedUpTo);
            }
            target.commit();
            return new Result(shape.name(), targetTable, 1, rows.size(), written, deleted, file + ":" + pos,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private static String status(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW STATUS LIKE '" + name + "'")) {
            if (!rs.next() || rs.getString(2) == null || rs.getString(2).isBlank()) {
                throw CliException.usage("The source reports no " + name + " (is its binary log on?)", "resync a table without a primary key"
                        + " needs a MariaDB source with log_bin");
            }
            return rs.getString(2);
        }
    }

    private void begin() throws SQLException {
        target.setAutoCommit(false);
        target.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }

    private void rollback() {
        try {
            target.rollback();
        } catch (SQLException ignored) {
            // the failure that caused the rollback is what gets reported
        }
    }

    /** The source rows (column values as the target takes them back) matching {@code where} with the given keys bound. */
    private List<List<String>> readRows(TableShape shape, String where, List<List<String>> keys) throws SQLException {
        if (!where.isEmpty() && keys.isEmpty()) {
            return List.of();
        }
        List<String> select = new ArrayList<>();
        shape.columns().forEach((name, type) -> select.add(copyExpression(name, type)));
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT " + String.join(", ", select) + " FROM " + shape.qualified() + " " + where)) {
            RowSql.bindKeys(ps, keys);
            try (ResultSet rs = ps.executeQuery()) {
                int n = shape.columns().size();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Binary values travel as hex and BIT as a number, so that text carries every value exactly. */
    private static String copyExpression(String column, String type) {
        String q = TableShape.quote(column);
        return switch (type) {
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "HEX(" + q + ")";
            case "bit" -> "CAST(" + q + " AS UNSIGNED)";
            default -> q;
        };
    }

    private static String valueExpression(String type) {
        return switch (type) {
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "UNHEX(?)";
            case "bit" -> "CAST(? AS UNSIGNED)";
            default -> "?";
        };
    }

    private long insertRows(TableShape shape, String targetTable, List<List<String>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        List<String> cols = shape.columns().keySet().stream().map(TableShape::quote).toList();
        List<String> values = shape.columns().values().stream().map(TableResync::valueExpression).toList();
        String sql = "INSERT INTO " + targetTable + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", values) + ")";
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            int pending = 0;
            for (List<String> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    ps.setString(i + 1, row.get(i));
                }
                ps.addBatch();
                if (++pending == 500) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        return rows.size();
    }

    private long deleteKeys(TableShape shape, String targetTable, List<List<String>> keys) throws SQLException {
        long deleted = 0;
        for (int i = 0; i < keys.size(); i += 500) {
            List<List<String>> batch = keys.subList(i, Math.min(keys.size(), i + 500));
            try (PreparedStatement ps = target.prepareStatement("DELETE FROM " + targetTable + " WHERE " + keyIn(shape, batch.size()))) {
                RowSql.bindKeys(ps, batch);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    private static String keyIn(TableShape shape, int count) {
        List<String> key = shape.key().stream().map(TableShape::quote).toList();
        String cols = key.size() == 1 ? key.get(0) : "(" + String.join(", ", key) + ")";
        String one = key.size() == 1 ? "?" : "(" + String.join(", ", java.util.Collections.nCopies(key.size(), "?")) + ")";
        return cols + " IN (" + String.join(", ", java.util.Collections.nCopies(Math.max(1, count), one)) + ")";
    }

    private static Map<List<String>, String> keyHashes(Connection c, String sql, KeyRange range, int keyColumns) throws SQLException {
        Map<List<String>, String> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            range.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> key = new ArrayList<>(keyColumns);
                    for (int i = 1; i <= keyColumns; i++) {
                        key.add(rs.getString(i));
                    }
                    rows.put(key, rs.getString(keyColumns + 1));
                }
            }
        }
        return rows;
    }
}
