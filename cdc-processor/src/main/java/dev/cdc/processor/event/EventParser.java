package dev.cdc.processor.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.contract.EventFormat;
import dev.cdc.contract.SourcePosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Kafka record values of the event format, versions {@link EventFormat#OLDEST_READABLE} to
 * {@link EventFormat#VERSION} (a version 1 event is of lineage generation 0, its server unknown). Integers stay exact (Jackson picks long or BigInteger by
 * size); fractional numbers are read as BigDecimal so that JSON column values keep their text, and are turned
 * into doubles only for FLOAT/DOUBLE columns.
 */
public final class EventParser {

    /** Shared mapper: exact decimals in, and JSON text out for JSON columns. Thread-safe once configured. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private EventParser() {
    }

    public static ChangeEvent parse(byte[] value) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("value is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PoisonEventException("value could not be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PoisonEventException("value is not a JSON object");
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || !EventFormat.isReadable(v.intValue())) {
            throw new PoisonEventException("unsupported event format version v=" + v + "; this processor understands v="
                    + EventFormat.OLDEST_READABLE + " to v=" + EventFormat.VERSION + ": upgrade the processor");
        }
        int version = v.intValue();
        String opCode = text(root, "op");
        ChangeEvent.Op op = ChangeEvent.Op.of(opCode);
        if (op == null) {
            throw new PoisonEventException("unknown op '" + opCode + "' (expected c, u, d, r, m or s)");
        }
        JsonNode source = root.get("source");
        if (source == null || !source.isObject()) {
            throw new PoisonEventException("source is missing");
        }
        String db = text(source, "db");
        String table = text(source, "table");
        if (db == null || db.isEmpty() || table == null || table.isEmpty()) {
            throw new PoisonEventException("source.db or source.table is missing");
        }
        JsonNode generation = source.get("generation");
        if (version >= 2 && (generation == null || !generation.canConvertToLong() || generation.asLong() < 0)) {
            throw new PoisonEventException("source.generation is missing or not a non-negative number (format v" + version + ")");
        }
        SourcePosition position = position(source, op, version >= 2 ? generation.asLong() : 0);
        String server = text(source, "server");
        boolean snapshot = source.path("snapshot").asBoolean(false);
        ObjectNode key = object(root, "key");
        ObjectNode before = object(root, "before");
        ObjectNode after = object(root, "after");
        if (op == ChangeEvent.Op.SNAPSHOT_STARTED) {
            String marker = text(root, "marker");
            if (!EventFormat.MARKER_SNAPSHOT_STARTED.equals(marker)) {
                throw new PoisonEventException("unknown marker '" + marker + "' (expected " + EventFormat.MARKER_SNAPSHOT_STARTED + "): upgrade the processor");
            }
            if (position == null) {
                throw new PoisonEventException("a snapshot marker without source.file and source.pos");
            }
        }
        switch (op) {
            case SNAPSHOT_STARTED, SCHEMA_CHANGE -> {
            }
            case CREATE, UPDATE, READ -> {
                if (after == null) {
                    throw new PoisonEventException("op '" + op.code() + "' without an 'after' row image");
                }
            }
            case DELETE -> {
                if ((key == null || key.isEmpty()) && before == null) {
                    throw new PoisonEventException("delete without 'key' or 'before'");
                }
            }
        }
        List<ColumnMeta> columns = columns(root);
        if (version < 3) {
            liftJsonValues(columns, before);
            liftJsonValues(columns, after);
        }
        return new ChangeEvent(version, op, db, table, position, server, snapshot, key, before, after, columns);
    }

    /**
     * Versions 1 and 2 wrote a JSON column's document as a JSON value; version 3 writes its text. Old values are turned
     * into text here, so that one representation reaches the apply (a v2 JSON null was already SQL NULL and stays so).
     */
    private static void liftJsonValues(List<ColumnMeta> columns, ObjectNode row) {
        if (row == null) {
            return;
        }
        for (ColumnMeta c : columns) {
            JsonNode value = row.get(c.name());
            if ("JSON".equalsIgnoreCase(c.type()) && value != null && !value.isNull()) {
                try {
                    row.put(c.name(), JSON.writeValueAsString(value));
                } catch (JsonProcessingException e) {
                    throw new PoisonEventException("JSON column `" + c.name() + "` cannot be written as text: " + e.getOriginalMessage(), e);
                }
            }
        }
    }

    private static SourcePosition position(JsonNode source, ChangeEvent.Op op, long generation) {
        String file = text(source, "file");
        JsonNode pos = source.get("pos");
        if (file == null || pos == null || !pos.canConvertToLong()) {
            if (op == ChangeEvent.Op.READ || op == ChangeEvent.Op.SNAPSHOT_STARTED) {
                return null;
            }
            throw new PoisonEventException("source.file or source.pos is missing");
        }
        try {
            return SourcePosition.of(generation, file, pos.asLong(), source.path("event").asLong(0), source.path("row").asLong(0),
                    source.path("sub").asLong(0));
        } catch (IllegalArgumentException e) {
            if (op == ChangeEvent.Op.READ) {
                return null;
            }
            throw new PoisonEventException(e.getMessage(), e);
        }
    }

    private static List<ColumnMeta> columns(JsonNode root) {
        JsonNode columns = root.get("columns");
        if (columns == null || columns.isNull()) {
            return List.of();
        }
        if (!columns.isArray()) {
            throw new PoisonEventException("columns is not an array");
        }
        List<ColumnMeta> list = new ArrayList<>(columns.size());
        for (JsonNode c : columns) {
            String name = text(c, "name");
            if (name == null || name.isEmpty()) {
                throw new PoisonEventException("a column has no name");
            }
            String type = text(c, "type");
            String sqlType = text(c, "sql_type");
            list.add(new ColumnMeta(name, type, sqlType, c.path("nullable").asBoolean(true), c.path("key").asBoolean(false),
                    c.hasNonNull("length") ? c.get("length").asInt() : null, c.hasNonNull("scale") ? c.get("scale").asInt() : null,
                    c.hasNonNull("default") ? c.get("default") : null));
        }
        return List.copyOf(list);
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static ObjectNode object(JsonNode node, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new PoisonEventException("'" + field + "' is not a JSON object");
        }
        return (ObjectNode) n;
    }
}
