package dev.cdc.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.processor.event.EventParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Builds change events in the documented format (version 2 unless told otherwise), the way the connector writes them. */
final class TestEvents {

    private TestEvents() {
    }

    /** A source table: its column metadata and the events for it. */
    static final class Table {
        final String db;
        final String table;
        private final List<ObjectNode> columns = new ArrayList<>();
        private int version = 2;
        private long generation;
        private String server = "mariadb:it:3306:1";

        /** Events built from now on are of this lineage generation (format version 2). */
        Table generation(long generation, String server) {
            this.version = 2;
            this.generation = generation;
            this.server = server;
            return this;
        }

        /** Events built from now on are of format version 1 (no lineage: generation 0). */
        Table version1() {
            this.version = 1;
            this.generation = 0;
            return this;
        }

        Table(String db, String table) {
            this.db = db;
            this.table = table;
        }

        Table column(String name, String type, String sqlType, boolean nullable, boolean key) {
            ObjectNode c = EventParser.JSON.createObjectNode();
            c.put("name", name).put("type", type).put("sql_type", sqlType).put("nullable", nullable).put("key", key);
            columns.add(c);
            return this;
        }

        String topic(String prefix) {
            return prefix + "." + db + "." + table;
        }

        ObjectNode snapshotRead(String file, long pos, ObjectNode after) {
            ObjectNode e = event("r", file, pos, 0, 0, null, after);
            ((ObjectNode) e.get("source")).put("snapshot", true);
            return e;
        }

        /** The connector's snapshot-started marker for this table (one is sent to each partition). */
        ObjectNode snapshotStarted(String file, long pos) {
            ObjectNode e = EventParser.JSON.createObjectNode();
            e.put("v", 2);
            e.put("op", "m");
            e.put("marker", "snapshot_started");
            e.putObject("source").put("connector", "it").put("generation", generation).put("server", server).put("db", db)
                    .put("table", table).put("file", file).put("pos", pos).put("event", 0).put("row", 0).put("sub", 0)
                    .put("ts_ms", 1732377600123L).put("snapshot", true);
            return e;
        }

        ObjectNode create(String file, long pos, long event, long row, ObjectNode after) {
            return event("c", file, pos, event, row, null, after);
        }

        ObjectNode update(String file, long pos, long event, long row, ObjectNode before, ObjectNode after) {
            return event("u", file, pos, event, row, before, after);
        }

        ObjectNode delete(String file, long pos, long event, long row, ObjectNode before) {
            return event("d", file, pos, event, row, before, null);
        }

        ObjectNode event(String op, String file, long pos, long event, long row, ObjectNode before, ObjectNode after) {
            ObjectNode e = EventParser.JSON.createObjectNode();
            e.put("v", version);
            e.put("op", op);
            ObjectNode source = e.putObject("source");
            source.put("connector", "it");
            if (version >= 2) {
                source.put("generation", generation).put("server", server);
            }
            source.put("db", db).put("table", table).put("file", file).put("pos", pos)
                    .put("event", event).put("row", row).put("gtid", "0-1-" + pos).put("server_id", 1)
                    .put("ts_ms", 1732377600123L).put("snapshot", false);
            ObjectNode image = after != null ? after : before;
            ObjectNode key = e.putObject("key");
            for (ObjectNode c : columns) {
                if (c.get("key").asBoolean() && image != null && image.has(c.get("name").asText())) {
                    key.set(c.get("name").asText(), image.get(c.get("name").asText()));
                }
            }
            e.set("before", before);
            e.set("after", after);
            ArrayNode cols = e.putArray("columns");
            columns.forEach(cols::add);
            return e;
        }
    }

    /** A row image from name/value pairs; values may be null, Number, String, Boolean, BigInteger, BigDecimal or JsonNode. */
    static ObjectNode row(Object... nameValues) {
        ObjectNode row = EventParser.JSON.createObjectNode();
        for (int i = 0; i < nameValues.length; i += 2) {
            String name = (String) nameValues[i];
            Object v = nameValues[i + 1];
            if (v == null) {
                row.putNull(name);
            } else if (v instanceof JsonNode n) {
                row.set(name, n);
            } else if (v instanceof BigInteger b) {
                row.put(name, b);
            } else if (v instanceof BigDecimal b) {
                row.put(name, b);
            } else if (v instanceof Long l) {
                row.put(name, l);
            } else if (v instanceof Integer n) {
                row.put(name, n);
            } else if (v instanceof Double d) {
                row.put(name, d);
            } else if (v instanceof Boolean b) {
                row.put(name, b);
            } else {
                row.put(name, v.toString());
            }
        }
        return row;
    }

    static JsonNode json(String text) {
        try {
            return EventParser.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
