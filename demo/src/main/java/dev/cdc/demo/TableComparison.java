package dev.cdc.demo;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a source table with its target table row by row, column by column, in primary-key order. A table without
 * a primary key may hold identical rows and has no order of its own: it is compared as a multiset of rows.
 */
public final class TableComparison {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private TableComparison() {
    }

    /** Human-readable differences, empty when equal (at most 10 listed). */
    public static List<String> differences(Connection source, String sourceDb, Connection target, String targetDb, String table)
            throws SQLException {
        List<String> columns = columns(source, sourceDb, table);
        List<String> key = primaryKey(source, sourceDb, table);
        String order = String.join(", ", quoted(key.isEmpty() ? columns : key));
        List<List<String>> sourceRows = rows(source, sourceDb, table, columns, order);
        List<List<String>> targetRows;
        try {
            targetRows = rows(target, targetDb, table, columns, order);
        } catch (SQLException e) {
            return List.of(table + ": target not readable: " + e.getMessage());
        }
        if (key.isEmpty()) {
            return multisetDifferences(table, sourceRows, targetRows);
        }
        List<String> diffs = new ArrayList<>();
        if (sourceRows.size() != targetRows.size()) {
            diffs.add(table + ": " + sourceRows.size() + " source rows, " + targetRows.size() + " target rows");
        }
        for (int i = 0; i < Math.min(sourceRows.size(), targetRows.size()) && diffs.size() < 10; i++) {
            if (!Objects.equals(sourceRows.get(i), targetRows.get(i))) {
                diffs.add(table + " row " + i + ": source " + sourceRows.get(i) + " target " + targetRows.get(i));
            }
        }
        return diffs;
    }

    /** Rows present more often on one side than on the other, with both counts (the databases' collations may sort them differently). */
    private static List<String> multisetDifferences(String table, List<List<String>> sourceRows, List<List<String>> targetRows) {
        Map<List<String>, Integer> counts = new HashMap<>();
        sourceRows.forEach(row -> counts.merge(row, 1, Integer::sum));
        targetRows.forEach(row -> counts.merge(row, -1, Integer::sum));
        List<String> diffs = new ArrayList<>();
        if (sourceRows.size() != targetRows.size()) {
            diffs.add(table + " (no primary key): " + sourceRows.size() + " source rows, " + targetRows.size() + " target rows");
        }
        Map<List<String>, Integer> sourceCounts = new HashMap<>();
        sourceRows.forEach(row -> sourceCounts.merge(row, 1, Integer::sum));
        for (Map.Entry<List<String>, Integer> e : counts.entrySet()) {
            if (e.getValue() != 0 && diffs.size() < 10) {
                int inSource = sourceCounts.getOrDefault(e.getKey(), 0);
                diffs.add(table + " (no primary key): row " + e.getKey() + " " + inSource + "x in source, " + (inSource - e.getValue()) + "x in target");
            }
        }
        return diffs;
    }

    /** Polls until every table is equal; returns the remaining differences on timeout. */
    public static List<String> awaitEqual(Connection source, String sourceDb, Connection target, String targetDb, List<String> tables,
                                          Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> diffs;
        do {
            diffs = new ArrayList<>();
            for (String table : tables) {
                diffs.addAll(differences(source, sourceDb, target, targetDb, table));
            }
            if (diffs.isEmpty()) {
                return diffs;
            }
            AppProcess.sleep(200);
        } while (System.nanoTime() < deadline);
        return diffs;
    }

    private static List<List<String>> rows(Connection c, String db, String table, List<String> columns, String order) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        String sql = "SELECT " + String.join(", ", quoted(columns)) + " FROM `" + db + "`.`" + table + "` ORDER BY " + order;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            java.sql.ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(isBinary(md.getColumnType(i)) ? hex(rs.getBytes(i)) : normaliseJson(rs.getString(i)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static boolean isBinary(int sqlType) {
        return sqlType == java.sql.Types.BINARY || sqlType == java.sql.Types.VARBINARY || sqlType == java.sql.Types.LONGVARBINARY
                || sqlType == java.sql.Types.BLOB;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? null : "0x" + HexFormat.of().formatHex(bytes);
    }

    /** JSON documents compare by value: MariaDB keeps JSON as the text it was given, spacing included. */
    private static String normaliseJson(String value) {
        if (value == null || value.isEmpty() || (value.charAt(0) != '{' && value.charAt(0) != '[')) {
            return value;
        }
        try {
            return JSON.readTree(value).toString();
        } catch (java.io.IOException e) {
            return value;
        }
    }

    private static List<String> columns(Connection c, String db, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getColumns(db, null, table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("No table " + db + "." + table);
        }
        return columns;
    }

    /** The primary-key columns in key order; empty for a table without a primary key. */
    private static List<String> primaryKey(Connection c, String db, String table) throws SQLException {
        java.util.TreeMap<Short, String> key = new java.util.TreeMap<>();
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(db, null, table)) {
            while (rs.next()) {
                key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(key.values());
    }

    private static List<String> quoted(List<String> names) {
        return names.stream().map(n -> "`" + n.replace("`", "``") + "`").toList();
    }
}
