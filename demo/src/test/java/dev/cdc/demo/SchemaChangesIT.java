package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes through the real pipeline (connector and processors in their own JVMs, topics with 2 partitions): a
 * DDL script with every kind of schema change, interleaved with inserts, updates and deletes, runs while the connector
 * streams (sql/schema-changes-streaming.sql), after tables created before it started, one of them empty
 * (sql/schema-changes-before.sql). Three processors, one per {@code cdc.processor.schema-changes} mode, each into its
 * own target database, consume the same topics; mode {@code mirror} runs as two instances of one consumer group, so that
 * the partitions of each topic are on different instances and every schema change waits for both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaChangesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    private static final List<String> FINAL_TABLES = SchemaChangeScript.FINAL_TABLES;
    private static final String MIRROR_DB = "cdc_target";
    private static final String ADDITIVE_DB = "cdc_target_additive";
    private static final String NONE_DB = "cdc_target_none";

    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;
    AppProcess mirror;
    AppProcess mirrorSecond;
    AppProcess additive;
    AppProcess none;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        SqlScript.runResource(source, SchemaChangeScript.BEFORE, Map.of());
        target = stack.target().rootConnection();
        try (Statement s = target.createStatement()) {
            for (String db : List.of(ADDITIVE_DB, NONE_DB)) {
                s.execute("CREATE DATABASE " + db);
                s.execute("GRANT ALL PRIVILEGES ON " + db + ".* TO 'cdc_target'@'%'");
                s.execute("GRANT ALL PRIVILEGES ON " + db + ".* TO 'cdc_target'@'localhost'");
            }
        }
        // The apps' logs stay in target/ for a failed run.
        pipeline = new Pipeline(stack, Path.of("target", "it-logs", "SchemaChangesIT-" + System.currentTimeMillis()), "ddl");
        mirror = pipeline.startProcessor("processor-mirror", Map.of("cdc.processor.dlq-topic", "ddl-mirror-dlq"));
        mirrorSecond = pipeline.startProcessor("processor-mirror-2", Map.of("cdc.processor.dlq-topic", "ddl-mirror-dlq"));
        additive = pipeline.startProcessor("processor-additive", processor(ADDITIVE_DB, "additive"));
        none = pipeline.startProcessor("processor-none", processor(NONE_DB, "none"));
        pipeline.startConnector("only");

        // The snapshot first (the empty table included), then the script while the connector streams.
        assertNoDifferences(MIRROR_DB, SchemaChangeScript.BEFORE_TABLES);
        assertNoDifferences(ADDITIVE_DB, List.of("sc_empty", "sc_items"));
        assertNoDifferences(NONE_DB, List.of("sc_items"));
        SqlScript.runResource(source, SchemaChangeScript.STREAMING, Map.of());
    }

    private Map<String, String> processor(String db, String mode) {
        return Map.of("datasources.default.url", stack.target().jdbcUrl(db), "cdc.processor.group-id", "cdc-processor-" + mode,
                "cdc.processor.schema-changes", mode, "cdc.processor.dlq-topic", "ddl-" + mode + "-dlq",
                // Rows that only a mirrored schema would take (mode none) are dead-lettered quickly, not stopped at.
                "cdc.processor.error-policy", "dead-letter", "cdc.processor.max-attempts", "2", "cdc.processor.retry-backoff", "50ms");
    }

    @AfterAll
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {source, target, stack}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void mirrorFollowsEverySchemaChangeInOrderWithTheRows() throws Exception {
        assertNoDifferences(MIRROR_DB, FINAL_TABLES);
        assertEquals(Set.copyOf(FINAL_TABLES), scTables(MIRROR_DB), "the renamed and dropped tables are gone from the target");
        for (String table : FINAL_TABLES) {
            assertEquals(ColumnDefinitions.of(source, "shop", table), ColumnDefinitions.of(target, MIRROR_DB, table), table + ": column definitions");
            assertEquals(ColumnDefinitions.tableCollation(source, "shop", table), ColumnDefinitions.tableCollation(target, MIRROR_DB, table),
                    table + ": table collation");
        }
        assertEquals(0, TopicRecords.count(stack.kafka().bootstrapServers(), "ddl-mirror-dlq"), "nothing dead-lettered");
        for (AppProcess instance : List.of(mirror, mirrorSecond)) {
            assertFalse(instance.logText().contains("Not mirrored"), "mode mirror leaves nothing out");
            assertTrue(instance.logText().contains("Assigned "), instance.name() + " consumed partitions too");
        }
    }

    @Test
    void additiveNeverDropsAColumnOrATable() throws Exception {
        // Every table equals its source in the source's columns; what the source dropped is still there.
        assertNoDifferences(ADDITIVE_DB, FINAL_TABLES.stream().filter(t -> !t.equals("sc_doomed")).toList());
        List<String> obsolete = ColumnDefinitions.of(target, ADDITIVE_DB, "sc_items").stream().filter(c -> c.startsWith("obsolete ")).toList();
        assertEquals(1, obsolete.size(), "the dropped column is kept: " + obsolete);
        assertTrue(obsolete.get(0).contains(" YES "), "and made NULL-able: " + obsolete);
        assertEquals(List.of(1, 2, 3), ids(ADDITIVE_DB, "sc_doomed"), "the dropped table is kept with its rows; the new one's row added");
        assertEquals(List.of(5, 6, 999), ids(ADDITIVE_DB, "sc_truncated"), "TRUNCATE is mirrored: it drops rows, not a column or table");
        assertTrue(additive.awaitLog("Not mirrored on target table `sc_doomed`: DROP", TIMEOUT), "the skipped DROP TABLE is logged");
        assertTrue(additive.logText().contains("column(s) [obsolete] kept, made NULL-able"), "the skipped DROP COLUMN is logged");
        assertEquals(0, TopicRecords.count(stack.kafka().bootstrapServers(), "ddl-additive-dlq"), "nothing dead-lettered");
    }

    @Test
    void noneAppliesNoSchemaChangeAndSaysSo() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!ids(NONE_DB, "sc_truncated").contains(999) && System.nanoTime() < deadline) {
            AppProcess.sleep(500);
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 999), ids(NONE_DB, "sc_truncated"), "TRUNCATE is not applied");
        Set<String> tables = scTables(NONE_DB);
        assertFalse(tables.contains("sc_empty") || tables.contains("sc_new_empty"), "tables are created from rows only: " + tables);
        assertTrue(tables.contains("sc_old_name"), "RENAME TABLE is not applied: " + tables);
        assertTrue(none.awaitLog("(cdc.processor.schema-changes is none)", TIMEOUT), "what is not mirrored is logged");
    }

    private void assertNoDifferences(String db, List<String> tables) throws SQLException {
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, db, tables, TIMEOUT);
        assertTrue(diffs.isEmpty(), db + " differs from the source: " + diffs);
    }

    private Set<String> scTables(String db) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'sc\\_%'")) {
            ps.setString(1, db);
            Set<String> names = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    private List<Integer> ids(String db, String table) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = target.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id FROM `" + db + "`.`" + table + "` ORDER BY id")) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != 1146) {
                throw e;
            }
        }
        return ids;
    }
}
