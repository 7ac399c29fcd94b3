package dev.cdc.processor.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.contract.EventFormat;
import dev.cdc.contract.SourcePosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Parsed column lists of the table versions seen lately (a few hundred tables, each a few KiB at most). */
    private static final ColumnListCache COLUMN_LISTS = new ColumnListCache(1024);

    private EventParser() {
    }

    public static ChangeEvent parse(byte[] value) {
        ParsedRoot parsed = readRoot(value);
        ObjectNode root = parsed.root();
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
        ColumnList columns = parsed.columns();
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

    private record ParsedRoot(ObjectNode root, ColumnList columns) {
    }

    /**
     * The top-level fields as a tree, except {@code columns}: that array is the same for every event of a table version
     * (and the largest part of a wide row's event), so it is only scanned and looked up in {@link #COLUMN_LISTS}.
     */
    private static ParsedRoot readRoot(byte[] value) {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PoisonEventException("value is not a JSON object");
            }
            ObjectNode root = JSON.getNodeFactory().objectNode();
            ColumnList columns = ColumnList.EMPTY;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken valueToken = p.nextToken();
                if (field.equals("columns") && valueToken == JsonToken.START_ARRAY) {
                    int from = (int) p.currentTokenLocation().getByteOffset();
                    // The connector writes columns last. When the rest of the value equals an array parsed before, it
                    // is that whole array and the object ends after it: the scan of the array is saved too.
                    int end = endOfLastArray(value);
                    ColumnList known = end > from ? COLUMN_LISTS.find(value, from, end) : null;
                    if (known != null) {
                        columns = known;
                        break;
                    }
                    p.skipChildren();
                    int to = (int) p.currentLocation().getByteOffset();
                    columns = COLUMN_LISTS.get(value, from, to, () -> columns(value, from, to));
                    continue;
                }
                JsonNode node = JSON.readTree(p);
                root.set(field, node == null ? NullNode.getInstance() : node);
            }
            if (root.has("columns") && !root.get("columns").isNull()) {
                throw new PoisonEventException("columns is not an array");
            }
            return new ParsedRoot(root, columns);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("value is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PoisonEventException("value could not be read: " + e.getMessage(), e);
        }
    }

    /** The index after the last {@code ]} when {@code value} ends with {@code ]}, white space, {@code }} and white space; else -1. */
    static int endOfLastArray(byte[] value) {
        int i = value.length - 1;
        while (i >= 0 && isWhiteSpace(value[i])) {
            i--;
        }
        if (i < 0 || value[i] != '}') {
            return -1;
        }
        i--;
        while (i >= 0 && isWhiteSpace(value[i])) {
            i--;
        }
        return i >= 0 && value[i] == ']' ? i + 1 : -1;
    }

    private static boolean isWhiteSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static ColumnList columns(byte[] value, int from, int to) {
        JsonNode columns;
        try {
            columns = JSON.readTree(Arrays.copyOfRange(value, from, to));
        } catch (IOException e) {
            throw new PoisonEventException("columns could not be read: " + e.getMessage(), e);
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
        return new ColumnList(list);
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
