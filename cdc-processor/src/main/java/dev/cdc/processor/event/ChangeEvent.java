package dev.cdc.processor.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.contract.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One parsed change event (docs/event-format.md).
 *
 * @param version  the event format version it was written in
 * @param position the source position with its lineage generation; null only for snapshot reads that carry none
 * @param server   the identity of the source server (format v2), or null
 * @param key      primary-key columns, may be null
 * @param before   row image before the change (u, d), may be null
 * @param after    row image after the change (c, u, r), may be null
 * @param columns  column metadata in table order; empty when the event carries none
 */
public record ChangeEvent(int version, Op op, String db, String table, SourcePosition position, String server, boolean snapshot,
                          ObjectNode key, ObjectNode before, ObjectNode after, ColumnList columns) {

    public enum Op {
        CREATE("c"), UPDATE("u"), DELETE("d"), READ("r"),
        /** A snapshot of the table starts here (no row images); see {@code EventFormat#MARKER_SNAPSHOT_STARTED}. */
        SNAPSHOT_STARTED("m"),
        /** A schema change of the table (no row images); see {@code EventFormat#OP_SCHEMA_CHANGE}. */
        SCHEMA_CHANGE("s");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Op of(String code) {
            for (Op op : values()) {
                if (op.code.equals(code)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** The metadata of column {@code name} (exact, then case-insensitive match), or null. */
    public ColumnMeta column(String name) {
        return columns.named(name);
    }

    /** Primary-key column names: in the order of the {@code key} object when present, else the key members of columns. */
    public List<String> keyColumns() {
        Set<String> names = new LinkedHashSet<>();
        if (key != null) {
            key.fieldNames().forEachRemaining(names::add);
        }
        if (names.isEmpty()) {
            for (ColumnMeta c : columns) {
                if (c.key()) {
                    names.add(c.name());
                }
            }
        }
        return new ArrayList<>(names);
    }
}
