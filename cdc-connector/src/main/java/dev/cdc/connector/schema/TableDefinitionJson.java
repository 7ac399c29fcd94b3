package dev.cdc.connector.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes Debezium's structured table definition (the {@code table} of a table change) as the {@code definition} of a
 * schema-change event: the table's columns after the change with type, length, scale, nullability, character set and
 * default expression, and its primary key. The processor checks the target's columns against it.
 */
final class TableDefinitionJson {

    private TableDefinitionJson() {
    }

    static void write(JsonGenerator g, Struct table) throws IOException {
        g.writeStartObject();
        stringField(g, "charset", table, "defaultCharsetName");
        g.writeArrayFieldStart("primary_key");
        List<?> key = table.schema().field("primaryKeyColumnNames") != null ? table.getArray("primaryKeyColumnNames") : null;
        if (key != null) {
            for (Object k : key) {
                g.writeString(k.toString());
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("columns");
        List<?> columns = table.getArray("columns");
        if (columns != null) {
            for (Object o : columns) {
                Struct c = (Struct) o;
                g.writeStartObject();
                g.writeStringField("name", c.getString("name"));
                stringField(g, "type", c, "typeName");
                numberField(g, "length", c, "length");
                numberField(g, "scale", c, "scale");
                Object optional = c.get("optional");
                g.writeBooleanField("nullable", optional == null || Boolean.TRUE.equals(optional));
                stringField(g, "charset", c, "charsetName");
                stringField(g, "default", c, "defaultValueExpression");
                List<?> members = c.schema().field("enumValues") != null ? c.getArray("enumValues") : null;
                if (members != null && !members.isEmpty()) {
                    g.writeArrayFieldStart("members");
                    for (Object m : members) {
                        g.writeString(m.toString());
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void stringField(JsonGenerator g, String name, Struct s, String field) throws IOException {
        Object v = s.schema().field(field) != null ? s.get(field) : null;
        if (v != null) {
            g.writeStringField(name, v.toString());
        }
    }

    private static void numberField(JsonGenerator g, String name, Struct s, String field) throws IOException {
        Object v = s.schema().field(field) != null ? s.get(field) : null;
        if (v instanceof Number n) {
            g.writeNumberField(name, n.longValue());
        }
    }
}
