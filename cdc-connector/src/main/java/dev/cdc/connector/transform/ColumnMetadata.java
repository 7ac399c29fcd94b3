package dev.cdc.connector.transform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Column metadata of one table version, from the parameters Debezium adds with
 * {@code column.propagate.source.type}. Built once per row schema; its JSON is pre-serialised because it
 * is the same in every event of that table version.
 */
final class ColumnMetadata {

    static final String TYPE = "__debezium.source.column.type";
    static final String LENGTH = "__debezium.source.column.length";
    static final String SCALE = "__debezium.source.column.scale";
    static final String ALLOWED = "allowed";

    private static final Set<String> TEMPORAL_WITH_FRACTION = Set.of("DATETIME", "TIMESTAMP", "TIME");
    private static final Set<String> TEMPORAL = Set.of("DATETIME", "TIMESTAMP", "TIME", "DATE", "YEAR");
    private static final Set<String> SIZED = Set.of("CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "BINARY", "VARBINARY", "BIT");
    private static final Set<String> PRECISION_SCALE = Set.of("DECIMAL", "NUMERIC", "DEC", "FIXED");
    private static final Set<String> FLOATING = Set.of("FLOAT", "DOUBLE", "REAL");
    private static final Set<String> CHARACTER = Set.of("CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET");
    /** Types whose first number in COLUMN_TYPE is the length Debezium reports: it tells whether the catalog is of the event's table version. */
    private static final Set<String> LENGTH_CHECKED = Set.of("CHAR", "VARCHAR", "BINARY", "VARBINARY", "BIT", "DECIMAL", "DATETIME", "TIMESTAMP", "TIME");
    private static final Map<String, String> SYNONYMS = Map.of("NCHAR", "CHAR", "NVARCHAR", "VARCHAR", "INTEGER", "INT", "DEC", "DECIMAL",
            "NUMERIC", "DECIMAL", "FIXED", "DECIMAL", "REAL", "DOUBLE", "GEOMCOLLECTION", "GEOMETRYCOLLECTION", "BOOLEAN", "TINYINT", "BOOL", "TINYINT");
    /** A '?' of information_schema (utf8mb3) stands for itself or for a 4-byte character. */
    private static final String ANY_CHARACTER = "(?:\\?|[\\x{10000}-\\x{10FFFF}])";
    private static final Pattern FIRST_NUMBER = Pattern.compile("\\((\\d+)");

    record Column(String name, String type, String sqlType, Integer length, Integer scale, boolean nullable, boolean key,
                  int fractionalDigits, Map<String, String> memberText) {

        Column(String name, String type, String sqlType, Integer length, Integer scale, boolean nullable, boolean key, int fractionalDigits) {
            this(name, type, sqlType, length, scale, nullable, key, fractionalDigits, Map.of());
        }
    }

    private final List<Column> columns;
    private String json;

    ColumnMetadata(Schema rowSchema, Set<String> keyColumns, Map<String, ColumnCatalog.CatalogColumn> catalog) {
        List<Column> cols = new ArrayList<>();
        for (Field f : rowSchema.fields()) {
            cols.add(column(f, keyColumns.contains(f.name()), catalog.get(f.name())));
        }
        this.columns = List.copyOf(cols);
    }

    /** Renders the metadata once, defaults encoded like values; called when the table's encoders exist. */
    void render(List<Field> fields, ValueEncoder[] encoders, JsonFactory factory) {
        this.json = serialise(columns, fields, encoders, factory);
    }

    List<Column> columns() {
        return columns;
    }

    Column column(int index) {
        return columns.get(index);
    }

    String json() {
        return json;
    }

    static Column column(Field f, boolean key) {
        return column(f, key, null);
    }

    /**
     * The column from Debezium's schema parameters; its {@code sql_type} is the catalog's exact column type with its
     * character set and collation when the catalog describes the same table version, else rendered from the parameters.
     */
    static Column column(Field f, boolean key, ColumnCatalog.CatalogColumn catalog) {
        Map<String, String> params = f.schema().parameters() == null ? Map.of() : f.schema().parameters();
        String type = params.getOrDefault(TYPE, fallbackType(f.schema())).toUpperCase(Locale.ROOT);
        Integer length = parse(params.get(LENGTH));
        Integer scale = parse(params.get(SCALE));
        if (catalog != null && catalog.json()) {
            return new Column(f.name(), "JSON", "JSON", null, null, f.schema().isOptional(), key, 0);
        }
        String base = type.split(" ")[0];
        int fsp = 0;
        if (TEMPORAL_WITH_FRACTION.contains(base)) {
            fsp = length != null && length > 0 && length <= 6 ? length : 0;
        }
        boolean same = catalog != null && sameVersion(base, length, params.get(ALLOWED), catalog);
        String sqlType = same ? catalogType(base, params.get(ALLOWED), catalog) : renderedType(type, base, length, scale, fsp, params.get(ALLOWED));
        return new Column(f.name(), type, sqlType, length, scale, f.schema().isOptional(), key, fsp,
                params.get(ALLOWED) == null ? Map.of() : memberText(params.get(ALLOWED)));
    }

    private static String renderedType(String type, String base, Integer length, Integer scale, int fsp, String allowed) {
        String rest = type.substring(base.length());
        if (base.equals("GEOMCOLLECTION")) {
            return "GEOMETRYCOLLECTION" + rest;
        }
        if (TEMPORAL_WITH_FRACTION.contains(base)) {
            return fsp > 0 ? base + "(" + fsp + ")" : base;
        } else if (PRECISION_SCALE.contains(base) && length != null) {
            return base + "(" + length + "," + (scale == null ? 0 : scale) + ")" + rest;
        } else if (FLOATING.contains(base) && length != null && scale != null) {
            // FLOAT(M,D) rounds to D digits on the source; a plain FLOAT on the target would keep 6 significant digits only.
            return base + "(" + length + "," + scale + ")" + rest;
        } else if (SIZED.contains(base) && length != null) {
            return base + "(" + length + ")" + rest;
        } else if ((base.equals("ENUM") || base.equals("SET")) && allowed != null) {
            return base + "(" + allowedMembers(allowed).stream().map(ColumnMetadata::quote).collect(Collectors.joining(",")) + ")";
        }
        return type;
    }

    /** Whether the catalog's column is the one Debezium describes (the catalog is current, the event may be older). */
    static boolean sameVersion(String base, Integer length, String allowed, ColumnCatalog.CatalogColumn catalog) {
        String normalised = SYNONYMS.getOrDefault(base, base);
        if (catalog.dataType() == null || !normalised.equals(SYNONYMS.getOrDefault(catalog.dataType().toUpperCase(Locale.ROOT),
                catalog.dataType().toUpperCase(Locale.ROOT)))) {
            return false;
        }
        if ((normalised.equals("ENUM") || normalised.equals("SET")) && allowed != null) {
            return exactMembers(allowed, catalog.columnType()) != null;
        }
        if (LENGTH_CHECKED.contains(normalised)) {
            Matcher m = FIRST_NUMBER.matcher(catalog.columnType());
            int catalogLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
            return catalogLength == (length == null ? 0 : length);
        }
        return true;
    }

    private static String catalogType(String base, String allowed, ColumnCatalog.CatalogColumn catalog) {
        String normalised = SYNONYMS.getOrDefault(base, base);
        List<String> members = normalised.equals("ENUM") || normalised.equals("SET") ? exactMembers(allowed, catalog.columnType()) : null;
        String type = members != null ? normalised + "(" + members.stream().map(ColumnMetadata::quote).collect(Collectors.joining(",")) + ")"
                : catalog.columnType().toUpperCase(Locale.ROOT);
        if (normalised.equals("GEOMETRYCOLLECTION")) {
            // MySQL's catalog says GEOMCOLLECTION, which MariaDB does not know; both know GEOMETRYCOLLECTION.
            type = "GEOMETRYCOLLECTION" + type.substring(type.indexOf("COLLECTION") + "COLLECTION".length());
        }
        if (CHARACTER.contains(normalised) && catalog.charset() != null) {
            type += " CHARACTER SET " + catalog.charset() + (catalog.collation() != null ? " COLLATE " + catalog.collation() : "");
        }
        return type;
    }

    /**
     * The members of the catalog's ENUM/SET type with their exact text from Debezium's {@code allowed}: the catalog tells
     * where members end, Debezium has their text (information_schema is utf8mb3 and shows a 4-byte character as '?').
     * Null when the two do not describe the same members.
     */
    static List<String> exactMembers(String allowed, String columnType) {
        if (allowed == null) {
            return null;
        }
        List<String> debezium = allowedMembers(allowed);
        List<String> catalog = members(columnType);
        if (debezium.size() != catalog.size()) {
            return null;
        }
        for (int i = 0; i < catalog.size(); i++) {
            StringBuilder regex = new StringBuilder();
            for (String part : catalog.get(i).split("\\?", -1)) {
                regex.append(Pattern.quote(part)).append(ANY_CHARACTER);
            }
            regex.setLength(regex.length() - ANY_CHARACTER.length());
            if (!Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(debezium.get(i)).matches()) {
                return null;
            }
        }
        return debezium;
    }

    /**
     * Streamed ENUM/SET values are Debezium's members as written in the DDL ({@code a\\,b}, {@code x\\\\y}); the map turns
     * each such spelling that differs from the member's text into the text. Snapshot values are already the text.
     */
    static Map<String, String> memberText(String allowed) {
        Map<String, String> map = new java.util.HashMap<>();
        List<String> raw = rawMembers(allowed);
        List<String> text = allowedMembers(allowed);
        for (int i = 0; i < raw.size(); i++) {
            if (!raw.get(i).equals(text.get(i))) {
                map.put(raw.get(i), text.get(i));
            }
        }
        return Map.copyOf(map);
    }

    /** The members of {@code allowed} split at unescaped commas, escapes kept. */
    static List<String> rawMembers(String allowed) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < allowed.length(); i++) {
            char c = allowed.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ',') {
                out.add(allowed.substring(start, i));
                start = i + 1;
            }
        }
        out.add(allowed.substring(start));
        return out;
    }

    /** Debezium's {@code allowed} parameter: the members joined by commas, a comma or backslash in a member escaped by a backslash. */
    static List<String> allowedMembers(String allowed) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < allowed.length(); i++) {
            char c = allowed.charAt(i);
            if (c == '\\' && i + 1 < allowed.length()) {
                current.append(allowed.charAt(++i));
            } else if (c == ',') {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String quote(String member) {
        return "'" + member.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The members of an {@code enum('a','b,c','d''e')} column type, unquoted. */
    static List<String> members(String columnType) {
        List<String> out = new ArrayList<>();
        int i = columnType.indexOf('(');
        StringBuilder current = null;
        for (i = i + 1; i < columnType.length(); i++) {
            char c = columnType.charAt(i);
            if (current == null) {
                if (c == '\'') {
                    current = new StringBuilder();
                }
            } else if (c == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                current.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < columnType.length()) {
                current.append(columnType.charAt(++i));
            } else if (c == '\'') {
                out.add(current.toString());
                current = null;
            } else {
                current.append(c);
            }
        }
        return out;
    }

    private static String fallbackType(Schema s) {
        return switch (s.type()) {
            case INT8 -> "TINYINT";
            case INT16 -> "SMALLINT";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case BYTES -> "LONGBLOB";
            default -> "LONGTEXT";
        };
    }

    private static Integer parse(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String serialise(List<Column> columns, List<Field> fields, ValueEncoder[] encoders, JsonFactory factory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("type", c.type());
                g.writeStringField("sql_type", c.sqlType());
                g.writeBooleanField("nullable", c.nullable());
                g.writeBooleanField("key", c.key());
                if (c.length() != null) {
                    g.writeNumberField("length", c.length());
                }
                if (c.scale() != null) {
                    g.writeNumberField("scale", c.scale());
                }
                Object defaultValue = fields.get(i).schema().defaultValue();
                // Temporal defaults are often expressions (CURRENT_TIMESTAMP) that Debezium reports as epoch 0: left out.
                if (defaultValue != null && !TEMPORAL.contains(c.type().split(" ")[0])) {
                    g.writeFieldName("default");
                    encoders[i].write(g, defaultValue);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
