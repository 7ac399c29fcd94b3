package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.OffsetStoreReader;
import dev.cdc.offsets.StoredOffset;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reading the fields of a stored offset map (file, pos, event, row, gtids, server_id, ts_sec, snapshot). */
final class Offsets {

    private Offsets() {
    }

    /** The partition key the engine uses: {@code ["<name>",{"server":"<name>"}]} (engine name and topic.prefix are the connector name). */
    static String partitionKey(String connector) {
        return "[" + Json.compact(connector) + ",{\"server\":" + Json.compact(connector) + "}]";
    }

    static List<StoredOffset> read(StoreView store, String connector) {
        return new OffsetStoreReader(store.dataSource()).offsets(connector);
    }

    static String file(Map<String, ?> offset) {
        Object v = offset == null ? null : offset.get("file");
        return v == null ? null : v.toString();
    }

    static Long number(Map<String, ?> offset, String key) {
        Object v = offset == null ? null : offset.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String text(Map<String, ?> offset, String key) {
        Object v = offset == null ? null : offset.get(key);
        return v == null || v.toString().isEmpty() ? null : v.toString();
    }

    /** The event time of the stored position: its {@code ts_sec} (the binlog event's timestamp, whole seconds). */
    static Instant eventTime(Map<String, ?> offset) {
        Long ts = number(offset, "ts_sec");
        return ts == null ? null : Instant.ofEpochSecond(ts);
    }

    static boolean snapshot(Map<String, ?> offset) {
        Object v = offset == null ? null : offset.get("snapshot");
        return v != null && ("true".equalsIgnoreCase(v.toString()) || "initial".equalsIgnoreCase(v.toString()));
    }

    /** {@code binlog.000002:4711}, or null without a file. */
    static String position(Map<String, ?> offset) {
        String file = file(offset);
        return file == null ? null : file + ":" + Text.orDash(number(offset, "pos"));
    }

    /** The position fields of an offset, for JSON: file, pos, event, row, gtids, server_id, ts_sec, event_time, snapshot. */
    static void putPosition(ObjectNode node, Map<String, ?> offset) {
        node.put("file", file(offset));
        Json.putNumber(node, "pos", number(offset, "pos"));
        Json.putNumber(node, "event", number(offset, "event"));
        Json.putNumber(node, "row", number(offset, "row"));
        node.put("gtids", text(offset, "gtids"));
        Json.putNumber(node, "server_id", number(offset, "server_id"));
        Json.putNumber(node, "ts_sec", number(offset, "ts_sec"));
        Json.put(node, "event_time", eventTime(offset));
        node.put("snapshot", snapshot(offset));
    }
}
