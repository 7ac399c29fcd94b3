package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end pipeline as a user runs it: source → connector (own JVM) → Kafka → processor (own JVM) →
 * target. Afterwards every target table equals its source table, row by row. Here MariaDB is the source and
 * the target + store; {@link MySqlPipelineIT} runs the same scenarios with MySQL in both roles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {

    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;

    /** The source server and the target + store server. */
    DatabaseKind[] servers() {
        return new DatabaseKind[] {DatabaseKind.MARIADB, DatabaseKind.MARIADB};
    }

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        DatabaseKind[] servers = servers();
        stack = LocalStack.start(work, servers[0], servers[1]);
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        SqlScript.runResource(source, "sql/type-samples.sql", Map.of());
        pipeline = new Pipeline(stack, work.resolve("logs"), "pipe");
        pipeline.startProcessor();
        pipeline.startConnector("only");
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
    }

    @AfterAll
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private void assertEqualTables(List<String> tables) throws Exception {
        // Generous: the first test also waits for both JVMs to start and the snapshot, which on a loaded 2-core machine took over 2 minutes.
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", tables, Duration.ofSeconds(300));
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
    }

    @Test
    void snapshotThenStreamingChangesAndAddedColumn() throws Exception {
        assertEqualTables(LocalRun.TABLES);

        try (Statement s = source.createStatement()) {
            s.execute("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('s1@example.com', 'Stream One', 5.00, NOW(6))");
            s.execute("UPDATE shop.customers SET balance = balance * 2 WHERE id <= 2");
            s.execute("DELETE FROM shop.order_lines WHERE order_id = 2");
            s.execute("UPDATE shop.products SET sku = 'KB-99' WHERE sku = 'KB-01'"); // primary-key change: delete + insert
            s.execute("ALTER TABLE shop.products ADD COLUMN weight_g INT NULL, ADD COLUMN origin VARCHAR(40) NOT NULL DEFAULT 'EU'");
            s.execute("UPDATE shop.products SET weight_g = 450, origin = 'JP' WHERE sku = 'MS-02'");
            s.execute("INSERT INTO shop.products (sku, title, price, stock, weight_g) VALUES ('HD-01', 'Headset', 59.00, 4, 300)");
        }
        assertEqualTables(LocalRun.TABLES);
        try (Statement s = target.createStatement();
             ResultSet rs = s.executeQuery("SELECT weight_g, origin FROM products WHERE sku = 'MS-02'")) {
            assertTrue(rs.next());
            assertEquals(450, rs.getInt(1));
            assertEquals("JP", rs.getString(2));
        }
    }

    @Test
    void everyTypeArrivesUnchangedThroughSnapshotAndStreaming() throws Exception {
        assertEqualTables(List.of("type_samples"));
        SqlScript.runResource(source, "sql/type-samples-streaming.sql", Map.of());
        assertEqualTables(List.of("type_samples"));
        try (Statement s = target.createStatement();
             ResultSet rs = s.executeQuery("SELECT t_big_u, t_dec, t_dt, t_ts, t_time6, t_varchar, JSON_EXTRACT(t_json, '$.nested.list[1].deep'), "
                     + "HEX(t_blob), t_bit + 0, t_set, t_year FROM type_samples WHERE id = 11")) {
            assertTrue(rs.next());
            assertEquals("18446744073709551615", rs.getString(1));
            assertEquals("12345678.123456", rs.getString(2));
            assertEquals("2024-02-29 23:59:59.123456", rs.getString(3));
            assertEquals("101:02:03.456789", rs.getString(5));
            assertEquals("emoji 👩‍💻 and ümlauts", rs.getString(6));
            assertEquals("\"yes\"", rs.getString(7));
            assertEquals("0102030405", rs.getString(8));
            assertEquals(1, rs.getInt(9));
            assertEquals("a,b,c", rs.getString(10));
            assertEquals(2024, rs.getInt(11));
        }
    }
}
