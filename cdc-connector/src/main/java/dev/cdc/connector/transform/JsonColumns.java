package dev.cdc.connector.transform;

import java.util.Set;

/**
 * Which columns of a table hold JSON. MySQL reports them as JSON; MariaDB's JSON is LONGTEXT with a
 * json_valid() check, which only the server's catalog tells apart from text.
 */
@FunctionalInterface
public interface JsonColumns {

    JsonColumns NONE = (db, table) -> Set.of();

    Set<String> of(String database, String table);
}
