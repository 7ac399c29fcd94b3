package dev.cdc.processor.apply;

import java.util.Locale;
import java.util.Map;

/** The columns of a target table as information_schema reports them, by lower-cased name. */
record TargetTable(String name, Map<String, Column> columns) {

    record Column(String name, String dataType, String columnType) {
        ColumnType type() {
            return ColumnType.of(columnType);
        }
    }

    boolean exists() {
        return !columns.isEmpty();
    }

    Column column(String name) {
        return columns.get(name.toLowerCase(Locale.ROOT));
    }
}
