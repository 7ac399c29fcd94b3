package dev.cdc.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.processor.event.ColumnMeta;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds an event's column values to statement parameters: each value is converted by {@link ValueConverter} for the
 * column's type (the event's source type, else the target column's) and bound by {@link #bind}.
 */
final class ValueBinder {

    /** Parsed type names: every row of a table names the same few, so each is parsed once. */
    private static final Map<String, ColumnType> TYPES = new ConcurrentHashMap<>();
    private static final int MAX_TYPES = 10_000;

    private ValueBinder() {
    }

    /**
     * The JDBC value of {@code column} in {@code change}. {@code position} is where the column probably is in the event's
     * column list (rows list their values in table order), -1 when unknown: a hit saves the search by name.
     */
    static Object convert(PreparedChange change, String column, int position, JsonNode value) {
        return ValueConverter.toJdbc(column, typeOf(change, column, position), value);
    }

    /** The event's source type for the column, else the target column's type. */
    static ColumnType typeOf(PreparedChange change, String column, int position) {
        ColumnMeta meta = meta(change, column, position);
        if (meta != null) {
            String type = meta.type() != null && !meta.type().isBlank() ? meta.type() : meta.sqlType();
            if (type != null && !type.isBlank()) {
                return parsed(type);
            }
        }
        TargetTable.Column target = change.structure() == null ? null : change.structure().column(column);
        return target == null ? ColumnType.UNKNOWN : target.type();
    }

    private static ColumnMeta meta(PreparedChange change, String column, int position) {
        List<ColumnMeta> columns = change.event().columns();
        if (position >= 0 && position < columns.size() && columns.get(position).name().equals(column)) {
            return columns.get(position);
        }
        return change.event().column(column);
    }

    private static ColumnType parsed(String type) {
        ColumnType parsed = TYPES.get(type);
        if (parsed == null) {
            if (TYPES.size() >= MAX_TYPES) {
                TYPES.clear();
            }
            parsed = ColumnType.of(type);
            TYPES.put(type, parsed);
        }
        return parsed;
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else {
            ps.setObject(index, value);
        }
    }
}
