package dev.cdc.processor.apply;

import java.util.Locale;

/**
 * The conversion class of a column, from the event's source type name ({@code BIGINT UNSIGNED}, {@code DATETIME},
 * {@code ENUM}...) or, when an event carries no metadata for a column, from the target's information_schema type.
 */
public record ColumnType(String name, Kind kind, boolean unsigned) {

    public enum Kind { INTEGER, DECIMAL, FLOAT, BIT, YEAR, DATE, DATETIME, TIMESTAMP, TIME, BINARY, JSON, SPATIAL, STRING, OTHER }

    public static final ColumnType UNKNOWN = new ColumnType("", Kind.OTHER, false);

    public static ColumnType of(String typeName) {
        if (typeName == null || typeName.isBlank()) {
            return UNKNOWN;
        }
        String upper = typeName.trim().toUpperCase(Locale.ROOT);
        boolean unsigned = upper.contains(" UNSIGNED");
        String base = upper;
        int cut = indexOfAny(base, '(', ' ');
        if (cut >= 0) {
            base = base.substring(0, cut);
        }
        if (upper.startsWith("DOUBLE PRECISION")) {
            base = "DOUBLE";
        } else if (upper.startsWith("LONG VARBINARY")) {
            base = "MEDIUMBLOB";
        } else if (upper.startsWith("LONG VARCHAR") || upper.equals("LONG")) {
            base = "MEDIUMTEXT";
        }
        return new ColumnType(base, kindOf(base), unsigned);
    }

    private static Kind kindOf(String base) {
        return switch (base) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "INT1", "INT2", "INT3", "INT4", "INT8",
                 "MIDDLEINT", "BOOL", "BOOLEAN", "SERIAL" -> Kind.INTEGER;
            case "DECIMAL", "NUMERIC", "DEC", "FIXED", "NUMBER" -> Kind.DECIMAL;
            case "FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8" -> Kind.FLOAT;
            case "BIT" -> Kind.BIT;
            case "YEAR" -> Kind.YEAR;
            case "DATE" -> Kind.DATE;
            case "DATETIME" -> Kind.DATETIME;
            case "TIMESTAMP" -> Kind.TIMESTAMP;
            case "TIME" -> Kind.TIME;
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> Kind.BINARY;
            case "JSON" -> Kind.JSON;
            case "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION",
                 "GEOMCOLLECTION" -> Kind.SPATIAL;
            case "CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "NATIONAL", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET",
                 "CHARACTER", "VARCHAR2", "UUID", "INET4", "INET6" -> Kind.STRING;
            default -> Kind.OTHER;
        };
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }
}
