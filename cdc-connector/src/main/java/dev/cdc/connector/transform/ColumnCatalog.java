package dev.cdc.connector.transform;

import java.util.Map;

/**
 * What the source's catalog says about a table's columns, for what Debezium's schema parameters leave out or make
 * ambiguous: the exact column type (ENUM/SET members may contain commas and quotes), the character set and collation,
 * and which columns hold JSON (MariaDB's JSON is LONGTEXT with a json_valid() check). Asked once per table version.
 */
@FunctionalInterface
public interface ColumnCatalog {

    ColumnCatalog NONE = (db, table) -> Map.of();

    /** The table's columns by exact name; empty when the catalog cannot be read. */
    Map<String, CatalogColumn> of(String database, String table);

    /**
     * Whether the source's global sql_mode lets sessions store zero dates (it lacks NO_ZERO_DATE or NO_ZERO_IN_DATE).
     * Such values in a NULL-able DATE or DATETIME column arrive as NULL (docs/event-format.md, "What a target cannot hold").
     */
    default boolean zeroDatesAllowed() {
        return false;
    }

    /**
     * One column as the catalog has it.
     *
     * @param dataType   {@code DATA_TYPE}, e.g. {@code enum}, {@code varchar}
     * @param columnType {@code COLUMN_TYPE}, e.g. {@code enum('a,b','c''d')}, {@code varchar(20)}
     * @param length     {@code CHARACTER_MAXIMUM_LENGTH}, null for non-string types
     * @param charset    {@code CHARACTER_SET_NAME}, null for non-character types
     * @param collation  {@code COLLATION_NAME}, null for non-character types
     * @param json       true when the column holds JSON
     */
    record CatalogColumn(String dataType, String columnType, Long length, String charset, String collation, boolean json) {
    }
}
