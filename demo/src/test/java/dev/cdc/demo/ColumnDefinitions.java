package dev.cdc.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A table's column definitions and collation as information_schema reports them, for comparing a target table with its source. */
final class ColumnDefinitions {

    private ColumnDefinitions() {
    }

    /** Name, type, nullability, default, character set, collation, key and extra of each column, in order. */
    static List<String> of(Connection c, String db, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, CHARACTER_SET_NAME,"
                + " COLLATION_NAME, COLUMN_KEY, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> parts = new ArrayList<>();
                    for (int i = 1; i <= 8; i++) {
                        parts.add(String.valueOf(rs.getString(i)));
                    }
                    columns.add(String.join(" ", parts));
                }
            }
            return columns;
        }
    }

    static String tableCollation(Connection c, String db, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Where the target table's columns or collation differ from the source table's; empty when they are the same. */
    static List<String> differences(Connection source, String sourceDb, Connection target, String targetDb, String table) throws SQLException {
        List<String> diffs = new ArrayList<>();
        List<String> wanted = of(source, sourceDb, table);
        List<String> got = of(target, targetDb, table);
        if (!wanted.equals(got)) {
            diffs.add(table + ": source columns " + wanted + ", target columns " + got);
        }
        String collation = tableCollation(source, sourceDb, table);
        String targetCollation = tableCollation(target, targetDb, table);
        if (!java.util.Objects.equals(collation, targetCollation)) {
            diffs.add(table + ": source collation " + collation + ", target collation " + targetCollation);
        }
        return diffs;
    }
}
