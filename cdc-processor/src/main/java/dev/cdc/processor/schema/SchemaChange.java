package dev.cdc.processor.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.contract.SourcePosition;
import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.EventParser;
import dev.cdc.processor.event.PoisonEventException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A schema-change event (op {@code s}, format version 3; docs/event-format.md "Schema changes"): the source's DDL
 * statement for one table, where it happened, how many copies of it the connector sent (one per partition of the
 * table's topic, and of the old table's topic for a rename), and the table's definition after it.
 *
 * @param database the session's current database on the source (unqualified names in {@code ddl} refer to it)
 * @param previous the old name of a renamed table, else null
 * @param like the table a CREATE TABLE ... LIKE copies, else null
 * @param definition the table's definition after the change; null for DROP and TRUNCATE
 */
public record SchemaChange(Kind kind, String db, String table, String ddl, String database, TableName previous, TableName like, int copies,
                           Definition definition, SourcePosition position, boolean snapshot) {

    /** What the change does to the table, as Debezium classifies it (a rename is an ALTER with {@code previous}). */
    public enum Kind { CREATE, ALTER, DROP, TRUNCATE }

    public record TableName(String db, String table) {
    }

    /** The table's structure after the change, from the source's structured table definition. */
    public record Definition(List<DefinedColumn> columns, List<String> primaryKey) {
    }

    public record DefinedColumn(String name, String type, Long length, Integer scale, boolean nullable, String charset, String defaultExpression) {
    }

    /** The schema change of an event that {@link EventParser} read as op {@code s}. */
    public static SchemaChange of(ChangeEvent event, byte[] value) {
        JsonNode root;
        try {
            root = EventParser.JSON.readTree(value);
        } catch (IOException e) {
            throw new PoisonEventException("schema change is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode s = root.get("schema_change");
        if (s == null || !s.isObject()) {
            throw new PoisonEventException("op 's' without a 'schema_change' object");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(s.path("kind").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("unknown schema_change.kind '" + s.path("kind").asText() + "' (expected CREATE, ALTER, DROP or TRUNCATE): upgrade the processor");
        }
        String ddl = s.path("ddl").asText(null);
        if (ddl == null || ddl.isBlank()) {
            throw new PoisonEventException("schema_change.ddl is missing");
        }
        int copies = s.path("copies").asInt(0);
        if (copies < 1) {
            throw new PoisonEventException("schema_change.copies is missing or not positive");
        }
        if (event.position() == null) {
            throw new PoisonEventException("a schema change without source.file and source.pos");
        }
        JsonNode database = s.get("database");
        return new SchemaChange(kind, event.db(), event.table(), ddl, database == null || database.isNull() ? event.db() : database.asText(),
                tableName(s.get("previous")), tableName(s.get("like")), copies, definition(s.get("definition")), event.position(), event.snapshot());
    }

    private static TableName tableName(JsonNode t) {
        return t == null || t.isNull() ? null : new TableName(t.path("db").asText(), t.path("table").asText());
    }

    private static Definition definition(JsonNode d) {
        if (d == null || d.isNull()) {
            return null;
        }
        List<DefinedColumn> columns = new ArrayList<>();
        for (JsonNode c : d.path("columns")) {
            columns.add(new DefinedColumn(c.path("name").asText(), c.path("type").asText(null),
                    c.hasNonNull("length") ? c.get("length").asLong() : null, c.hasNonNull("scale") ? c.get("scale").asInt() : null,
                    c.path("nullable").asBoolean(true), c.path("charset").asText(null), c.path("default").asText(null)));
        }
        List<String> key = new ArrayList<>();
        d.path("primary_key").forEach(k -> key.add(k.asText()));
        return new Definition(List.copyOf(columns), List.copyOf(key));
    }

    /**
     * True when it must wait until every partition reached it: it changes or removes a table that has rows, or copies
     * one (CREATE TABLE ... LIKE). A plain CREATE TABLE has no earlier rows to wait for.
     */
    public boolean needsBarrier() {
        return !snapshot && (kind != Kind.CREATE || like != null);
    }

    /** Identifies the change across its copies: where it happened and which table it changes. */
    public String key() {
        return position.generation() + ":" + position.fileSeq() + ":" + position.pos() + ":" + position.event() + ":" + position.row()
                + "/" + db + "." + table;
    }
}
