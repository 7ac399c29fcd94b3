package dev.cdc.processor.apply;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One column of a full row image that finds a row of a table without a primary key. The comparison is NULL-safe
 * ({@code <=>}) and exact, so that it finds the row the source changed and never one that only looks alike:
 * <ul>
 *   <li>text (CHAR, VARCHAR, TEXT, ENUM, SET, MariaDB's JSON): as bytes of the utf8mb4 text, so that case-insensitive and
 *       accent-insensitive collations, and trailing spaces under PAD SPACE collations, do not make different rows equal;</li>
 *   <li>FLOAT: the value rounded to single precision first ({@code CAST(? AS FLOAT)}), as the column stored it (compared
 *       as a double, the stored float and the decimal text of the value differ);</li>
 *   <li>MySQL's JSON: as JSON values ({@code CAST(? AS JSON)}): a JSON column never equals a string;</li>
 *   <li>everything else (numbers, DOUBLE, DECIMAL, temporal values, binary strings): the value as bound.</li>
 * </ul>
 */
record ImageColumn(String name, Comparison comparison) {

    enum Comparison { VALUE, TEXT_BYTES, SINGLE_FLOAT, JSON_VALUE }

    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");

    /** How {@code name} compares, from the target column (information_schema), else from the event's type. */
    static ImageColumn of(String name, TargetTable.Column target, ColumnType eventType) {
        if (target != null && target.dataType() != null) {
            String type = target.dataType().toLowerCase(Locale.ROOT);
            if (TEXT_TYPES.contains(type)) {
                return new ImageColumn(name, Comparison.TEXT_BYTES);
            }
            if (type.equals("float")) {
                return new ImageColumn(name, Comparison.SINGLE_FLOAT);
            }
            if (type.equals("json")) {
                return new ImageColumn(name, Comparison.JSON_VALUE);
            }
            return new ImageColumn(name, Comparison.VALUE);
        }
        return new ImageColumn(name, eventType.kind() == ColumnType.Kind.STRING ? Comparison.TEXT_BYTES : Comparison.VALUE);
    }

    String condition() {
        String col = Sql.quote(name);
        return switch (comparison) {
            case VALUE -> col + " <=> ?";
            case TEXT_BYTES -> "CAST(CONVERT(" + col + " USING utf8mb4) AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY)";
            case SINGLE_FLOAT -> col + " <=> CAST(? AS FLOAT)";
            case JSON_VALUE -> col + " <=> CAST(? AS JSON)";
        };
    }

    static String where(List<ImageColumn> image) {
        StringJoiner where = new StringJoiner(" AND ");
        image.forEach(c -> where.add(c.condition()));
        return where.toString();
    }
}
