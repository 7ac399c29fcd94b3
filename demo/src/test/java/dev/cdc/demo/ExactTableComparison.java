package dev.cdc.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Compares a source table with its target table row by row without normalising anything: each value is read as the
 * server's exact text of it (HEX of the stored bytes for strings, binaries, bits and spatial values, the exact double of a
 * FLOAT, CAST AS CHAR for numbers and temporal values, where the server's text is exact). Rows are matched in the order
 * of the source table's primary key; a table without one is compared as a multiset: both sides sorted by every value's
 * exact text, so that a row applied twice or lost shows as a difference.
 */
final class ExactTableComparison {

    private ExactTableComparison() {
    }

    /** Polls until every table is equal; returns the remaining differences on timeout. */
    static List<String> awaitEqual(Connection source, String sourceDb, Connection target, String targetDb, List<String> tables,
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
            AppProcess.sleep(500);
        } while (System.nanoTime() < deadline);
        return diffs;
    }

    static List<String> differences(Connection source, String sourceDb, Connection target, String targetDb, String table) throws SQLException {
        List<String[]> columns = columns(source, sourceDb, table);
        List<String> key = primaryKey(source, sourceDb, table);
        List<String> diffs = new ArrayList<>();
        List<List<String>> sourceRows = rows(source, sourceDb, table, columns, key);
        List<List<String>> targetRows;
        try {
            targetRows = rows(target, targetDb, table, columns, key);
        } catch (SQLException e) {
            return List.of(table + ": target not readable: " + e.getMessage());
        }
        if (sourceRows.size() != targetRows.size()) {
            diffs.add(table + ": " + sourceRows.size() + " source rows, " + targetRows.size() + " target rows");
        }
        for (int i = 0; i < Math.min(sourceRows.size(), targetRows.size()) && diffs.size() < 20; i++) {
            List<String> s = sourceRows.get(i);
            List<String> t = targetRows.get(i);
            for (int c = 0; c < columns.size() && diffs.size() < 20; c++) {
                if (!Objects.equals(s.get(c), t.get(c))) {
                    diffs.add(table + " row " + rowName(s, columns, key, i) + " column " + columns.get(c)[0] + " (" + columns.get(c)[2] + "): source "
                            + abbreviate(s.get(c)) + ", target " + abbreviate(t.get(c)));
                }
            }
        }
        return diffs;
    }

    /** Differences of column type, character set and collation between the source and the target table. */
    static List<String> definitionDifferences(Connection source, String sourceDb, Connection target, String targetDb, String table)
            throws SQLException {
        List<String[]> s = columns(source, sourceDb, table);
        List<String[]> t = columns(target, targetDb, table);
        List<String> diffs = new ArrayList<>();
        for (String[] column : s) {
            String[] other = t.stream().filter(c -> c[0].equals(column[0])).findFirst().orElse(null);
            String wanted = column[2] + " " + column[3] + " " + column[4];
            String got = other == null ? "(missing)" : other[2] + " " + other[3] + " " + other[4];
            if (!wanted.equals(got)) {
                diffs.add(table + "." + column[0] + ": source " + wanted + ", target " + got);
            }
        }
        return diffs;
    }

    /** Name, data type, column type, character set, collation; in table order. */
    private static List<String[]> columns(Connection c, String db, String table) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT), rs.getString(3), rs.getString(4), rs.getString(5)});
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("No table " + db + "." + table);
        }
        return columns;
    }

    /** The primary key's columns in key order; empty for a table without one. */
    private static List<String> primaryKey(Connection c, String db, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    private static List<List<String>> rows(Connection c, String db, String table, List<String[]> columns, List<String> key) throws SQLException {
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (String[] column : columns) {
            select.add(exactText(quoted(column[0]), column[1]));
            order.add(Integer.toString(select.size()));
        }
        if (!key.isEmpty()) {
            order = key.stream().map(ExactTableComparison::quoted).toList();
        }
        String sql = "SELECT " + String.join(", ", select) + " FROM `" + db + "`.`" + table + "` ORDER BY " + String.join(", ", order);
        List<List<String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** An expression whose text is exact for the column's data type. */
    static String exactText(String column, String dataType) {
        return switch (dataType) {
            // The server prints a FLOAT with 6 significant digits; as a DOUBLE it prints every digit of the stored value.
            case "float" -> "CAST(" + column + " AS DOUBLE)";
            case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "double", "year", "date", "time", "datetime",
                 "timestamp", "inet4", "inet6", "uuid" -> "CAST(" + column + " AS CHAR)";
            // MySQL's JSON is a binary document: its text form is the exact value.
            case "json" -> "CAST(" + column + " AS CHAR)";
            default -> "HEX(" + column + ")";
        };
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** The row's key values (e.g. {@code id 7}), or its place in sort order for a table without a key. */
    private static String rowName(List<String> row, List<String[]> columns, List<String> key, int index) {
        if (key.isEmpty()) {
            return "#" + (index + 1) + " in value order (no primary key)";
        }
        List<String> parts = new ArrayList<>();
        for (String k : key) {
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c)[0].equals(k)) {
                    parts.add(k + " " + row.get(c));
                }
            }
        }
        return String.join(", ", parts);
    }

    private static String abbreviate(String value) {
        return value == null ? "NULL" : value.length() > 80 ? value.substring(0, 80) + "...(" + value.length() + " chars)" : "'" + value + "'";
    }
}
