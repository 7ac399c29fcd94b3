package dev.cdc.demo;

import dev.cdc.localstack.SqlScript;
import java.util.List;
import java.util.Locale;

/**
 * The schema-change fixture: tables created before the connector starts (sql/schema-changes-before.sql) and the script
 * of every kind of schema change interleaved with inserts, updates and deletes, run while it streams
 * (sql/schema-changes-streaming.sql). {@link SchemaChangesIT} runs the script whole; {@link CorpusFailoverIT} runs it
 * statement by statement, with a failover in the middle.
 */
final class SchemaChangeScript {

    static final String BEFORE = "sql/schema-changes-before.sql";
    static final String STREAMING = "sql/schema-changes-streaming.sql";
    /** The source's tables after {@link #BEFORE}. */
    static final List<String> BEFORE_TABLES = List.of("sc_empty", "sc_items", "sc_old_name", "sc_doomed", "sc_truncated", "sc_keyed");
    /** The source's tables after {@link #STREAMING}. */
    static final List<String> FINAL_TABLES = List.of("sc_empty", "sc_items", "sc_new", "sc_new_empty", "sc_like", "sc_keyed",
            "sc_final_name", "sc_doomed", "sc_truncated");

    private SchemaChangeScript() {
    }

    /** The statements of {@link #STREAMING}, in order. */
    static List<String> streamingStatements() {
        return SqlScript.statements(SqlScript.resource(STREAMING));
    }

    /** True for a statement that changes a table's definition (DDL), false for one that changes rows. */
    static boolean isSchemaChange(String statement) {
        String verb = statement.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return List.of("CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE").contains(verb);
    }
}
