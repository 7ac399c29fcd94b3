package dev.cdc.offsets.cli;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The SQL that {@code verify} and {@code resync} run on one table: a row's exact text (every column of the source
 * table, by name, in the source's order), its hash, and primary-key ranges.
 *
 * <p>A row renders the same on both servers: every value as utf8mb4 text (both sessions in UTC), binary values and BIT
 * as hexadecimal or numbers, JSON compacted on MariaDB (which keeps a JSON document as the text it was given), NULL as a
 * character no text column holds. The hash of a chunk is its row count plus the sum of 60-bit prefixes of the rows'
 * MD5: a sum, not an XOR, so that two identical rows of a table without a key do not cancel out.
 */
final class RowSql {

    private final TableShape shape;
    private final boolean mariadb;

    /**
     * @param shape   the source table (its columns are looked up by name on the target)
     * @param mariadb whether this side is MariaDB (JSON columns are compacted there)
     */
    RowSql(TableShape shape, boolean mariadb) {
        this.shape = shape;
        this.mariadb = mariadb;
    }

    /** The expression of one column as text, NULL included. */
    String columnText(String column, String dataType) {
        String q = TableShape.quote(column);
        String value = switch (dataType) {
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "HEX(" + q + ")";
            case "bit" -> "CAST(" + q + " AS UNSIGNED)";
            case "json", "longtext" -> mariadb ? "COALESCE(JSON_COMPACT(" + q + "), " + q + ")" : "CAST(" + q + " AS CHAR)";
            default -> q;
        };
        return "IFNULL(CONVERT(" + value + " USING utf8mb4), CHAR(0 USING utf8mb4))";
    }

    /** MD5 (hex) of the row's columns joined by the unit separator. */
    String rowHash() {
        StringJoiner parts = new StringJoiner(", ", "MD5(CONCAT_WS(CHAR(31 USING utf8mb4), ", "))");
        for (Map.Entry<String, String> c : shape.columns().entrySet()) {
            parts.add(columnText(c.getKey(), c.getValue()));
        }
        return parts.toString();
    }

    /** SELECT row count and hash sum of the rows in {@code range} of {@code table}. */
    String checksum(String table, KeyRange range) {
        return "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(LEFT(" + rowHash() + ", 15), 16, 10) AS UNSIGNED)), 0) FROM " + table
                + range.where(shape.key());
    }

    /** SELECT the key columns and the row hash of the rows in {@code range}. */
    String keyHashes(String table, KeyRange range) {
        return "SELECT " + keyList() + ", " + rowHash() + " FROM " + table + range.where(shape.key());
    }

    /** SELECT the key columns and the row hash of the rows whose key is one of {@code count} keys. */
    String keyHashesOf(String table, int count) {
        return "SELECT " + keyList() + ", " + rowHash() + " FROM " + table + " WHERE " + keyIn(count);
    }

    /** SELECT every row hash with its number of rows (a table without a key, compared as a multiset). */
    String hashCounts(String table, int onlyCount) {
        String inner = "SELECT " + rowHash() + " AS h FROM " + table;
        StringBuilder sql = new StringBuilder("SELECT h, COUNT(*) FROM (" + inner + ") rows_by_hash");
        if (onlyCount > 0) {
            sql.append(" WHERE h IN (").append("?, ".repeat(onlyCount - 1)).append("?)");
        }
        return sql.append(" GROUP BY h").toString();
    }

    /** SELECT the columns' text of one row with the given hash. */
    String rowWithHash(String table) {
        return "SELECT " + textList() + " FROM " + table + " WHERE " + rowHash() + " = ? LIMIT 1";
    }

    /** The key value that ends a chunk of {@code size} keys after {@code range}'s lower bound, or nothing. */
    String chunkEnd(String table, KeyRange range, int size) {
        return "SELECT " + keyList() + " FROM " + table + range.where(shape.key()) + " ORDER BY " + keyList() + " LIMIT 1 OFFSET " + (size - 1);
    }

    String keyList() {
        return String.join(", ", shape.key().stream().map(TableShape::quote).toList());
    }

    private String textList() {
        List<String> texts = new ArrayList<>();
        shape.columns().forEach((name, type) -> texts.add(columnText(name, type)));
        return String.join(", ", texts);
    }

    private String keyIn(int count) {
        String one = shape.key().size() == 1 ? "?" : "(" + String.join(", ", shape.key().stream().map(k -> "?").toList()) + ")";
        String cols = shape.key().size() == 1 ? keyList() : "(" + keyList() + ")";
        return cols + " IN (" + String.join(", ", java.util.Collections.nCopies(count, one)) + ")";
    }

    /** Binds keys (each a list of the key columns' values as text) from parameter 1 on. */
    static void bindKeys(PreparedStatement ps, List<List<String>> keys) throws SQLException {
        int i = 1;
        for (List<String> key : keys) {
            for (String v : key) {
                ps.setString(i++, v);
            }
        }
    }
}
