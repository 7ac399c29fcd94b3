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
    private static final Set<String> SIZED = Set.of("CHAR", "VARCHAR", "BINARY", "VARBINARY", "BIT");
    private static final Set<String> PRECISION_SCALE = Set.of("DECIMAL", "NUMERIC", "DEC", "FIXED");

    record Column(String name, String type, String sqlType, Integer length, Integer scale, boolean nullable, boolean key,
                  int fractionalDigits) {
    }

    private final List<Column> columns;
    private String json;

    ColumnMetadata(Schema rowSchema, Set<String> keyColumns, Set<String> jsonColumns, JsonFactory factory) {
        List<Column> cols = new ArrayList<>();
        for (Field f : rowSchema.fields()) {
            Column c = column(f, keyColumns.contains(f.name()));
            if (jsonColumns.contains(f.name())) {
                c = new Column(c.name(), "JSON", "JSON", null, null, c.nullable(), c.key(), 0);
            }
            cols.add(c);
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
        Map<String, String> params = f.schema().parameters() == null ? Map.of() : f.schema().parameters();
        String type = params.getOrDefault(TYPE, fallbackType(f.schema())).toUpperCase(Locale.ROOT);
        Integer length = parse(params.get(LENGTH));
        Integer scale = parse(params.get(SCALE));
        String base = type.split(" ")[0];
        int fsp = 0;
        String sqlType = type;
        if (TEMPORAL_WITH_FRACTION.contains(base)) {
            fsp = length != null && length > 0 && length <= 6 ? length : 0;
            sqlType = fsp > 0 ? base + "(" + fsp + ")" : base;
        } else if (PRECISION_SCALE.contains(base) && length != null) {
            sqlType = base + "(" + length + "," + (scale == null ? 0 : scale) + ")" + type.substring(base.length());
        } else if (SIZED.contains(base) && length != null) {
            sqlType = base + "(" + length + ")" + type.substring(base.length());
        } else if ((base.equals("ENUM") || base.equals("SET")) && params.containsKey(ALLOWED)) {
            sqlType = base + "(" + java.util.Arrays.stream(params.get(ALLOWED).split(","))
                    .map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(",")) + ")";
        }
        return new Column(f.name(), type, sqlType, length, scale, f.schema().isOptional(), key, fsp);
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
