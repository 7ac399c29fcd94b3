package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalMariaDb;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import dev.cdc.offsets.cli.OffsetsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's actions on the source and the offsets must never make the processor skip changes, nor leave rows
 * the source no longer has (docs/design.md, "Apply once with lineage" and "Converge"). Scenario: while the connector is
 * stopped rows are deleted at the source and its binlog is reset (RESET MASTER, as after a rebuild); the documented
 * remedy `offsets reset` is run and the connector restarted under a concurrent workload. The re-snapshot removes the
 * deleted rows from the target, and every row written afterwards arrives, although its binlog coordinates are lower
 * than those the processor applied before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorActionsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String CONNECTOR = "ops";

    @TempDir
    static Path work;
    static LocalStack stack;
    static Pipeline pipeline;
    static AppProcess processor;
    /** The connector instance that streams at the end of a test, for the next one. */
    static AppProcess active;
    static LocalMariaDb movedSource;
    static Connection source;
    static Connection target;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        // Logs outside the temporary directory, so that a failure can be read afterwards.
        pipeline = new Pipeline(stack, Path.of("target", "it-logs", "OperatorActionsIT"), CONNECTOR);
        processor = pipeline.startProcessor();
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (movedSource != null) {
            movedSource.close();
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        stack.close();
    }

    @Test
    @Order(1)
    void afterABinlogResetAndOffsetsResetEveryNewRowArrives() throws Exception {
        AppProcess connector = pipeline.startConnector("a");
        assertEqualTables();
        // Move the applied positions well into the old binlog history: a second file, and a few hundred changes.
        try (Statement s = source.createStatement()) {
            s.execute("FLUSH BINARY LOGS");
        }
        insertCustomers("before-reset", 200);
        assertEqualTables();
        connector.stop(Duration.ofSeconds(20));

        try (Statement s = source.createStatement()) {
            // Deleted while no connector streams: only the re-snapshot can tell the target.
            s.execute("DELETE FROM shop.customers WHERE email LIKE 'before-reset-1%'");
            s.execute("DELETE FROM shop.order_lines WHERE order_id = 2");
            s.execute("RESET MASTER");
            // The MariaDB connector cannot start streaming from a server without any GTID yet.
            s.execute("UPDATE shop.products SET stock = stock + 1 WHERE sku = 'KB-01'");
        }
        String reset = offsets("reset", "--connector", CONNECTOR);
        assertTrue(reset.contains("Lineage generation 1 starts"), reset);

        // A workload runs while the new leader takes its snapshot and starts streaming.
        AppProcess restarted;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Exception> workloadFailure = new AtomicReference<>();
        try (Connection writerConnection = stack.source().rootConnection()) {
            Workload workload = new Workload(writerConnection, 7);
            Thread writer = new Thread(() -> {
                try {
                    while (writing.get()) {
                        workload.run(20, 100);
                    }
                } catch (Exception e) {
                    workloadFailure.set(e);
                }
            }, "workload");
            writer.start();
            restarted = pipeline.startConnector("b");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (Metrics.prometheusValue(pipeline.get(restarted, "/prometheus"), "cdc_connector_records_published", null) == 0
                    && System.nanoTime() < deadline) {
                AppProcess.sleep(200);
            }
            AppProcess.sleep(3000);
            writing.set(false);
            writer.join();
            assertTrue(workload.rowChanges() > 0, "the workload ran");
        }
        assertEquals(null, workloadFailure.get());
        assertEqualTables(); // the new snapshot arrived; what follows is streamed, at binlog coordinates lower than before
        assertEquals(0, count("SELECT COUNT(*) FROM customers WHERE email LIKE 'before-reset-1%'"), "deleted rows are gone from the target");
        insertCustomers("after-reset", 99);
        assertEqualTables();
        assertEquals(99, count("SELECT COUNT(*) FROM customers WHERE email LIKE 'after-reset-%'"));
        assertTrue(Metrics.prometheusValue(pipeline.get(processor, "/prometheus"), "cdc_processor_lineage_changes_total", null) >= 1,
                "the processor counted the generation change");
        assertEquals(1, Metrics.prometheusValue(pipeline.get(restarted, "/prometheus"), "cdc_connector_lineage_generation", null),
                "the connector streams under generation 1");
        active = restarted;
    }

    /**
     * The source moves to another server that holds the same data but has its own binlog (a rebuilt replica, say): the
     * connector is stopped, `offsets set` points it at the new server's current position (which also drops the schema
     * history of the old server), and it is restarted there: it rebuilds the schema history from the new server's
     * tables, announces no snapshot, and streams. Every change made on the new server arrives, none is applied twice,
     * and the target equals the new server.
     */
    @Test
    @Order(2)
    void afterMovingToAnotherServerWithOffsetsSetNothingIsLostOrAppliedTwice() throws Exception {
        if (active == null) {
            active = pipeline.startConnector("s");
        }
        assertEqualTables();
        active.stop(Duration.ofSeconds(20));
        active = null;

        movedSource = LocalMariaDb.start(work.resolve("moved-source-db"), 0);
        try (Connection moved = movedSource.rootConnection()) {
            SqlScript.runResource(moved, "sql/source/cdc-user.sql", Map.of("CDC_PASSWORD", stack.cdc().password()));
            copyShop(source, moved);
            String file;
            long pos;
            try (Statement s = moved.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            String movedUrl = movedSource.jdbcUrl(null);
            String set = offsets(Map.of("CDC_SOURCE_URL", movedUrl), "set", "--connector", CONNECTOR, "--file", file, "--pos", Long.toString(pos));
            assertTrue(set.contains("Lineage generation 2 starts"), set);
            assertTrue(set.contains("The schema history came from mariadb:") && set.contains("is deleted"), set);

            double appliedBefore = Metrics.prometheusValue(pipeline.get(processor, "/prometheus"), "cdc_processor_applied", null);
            AppProcess there = pipeline.startConnector("m", Map.of("cdc.source.url", movedUrl));
            Workload workload = new Workload(moved, 11);
            workload.run(150, 100);
            List<String> diffs = TableComparison.awaitEqual(moved, "shop", target, "cdc_target", LocalRun.TABLES, TIMEOUT);
            assertTrue(diffs.isEmpty(), "target differs from the new source: " + diffs);
            AppProcess.sleep(1000);
            double applied = Metrics.prometheusValue(pipeline.get(processor, "/prometheus"), "cdc_processor_applied", null) - appliedBefore;
            assertEquals(workload.rowChanges(), Math.round(applied), "each change on the new server applied exactly once");
            assertEquals(2, Metrics.prometheusValue(pipeline.get(there, "/prometheus"), "cdc_connector_lineage_generation", null));
            active = there;
        }
    }

    /** Copies the demo tables, structure and rows, so that the new server starts with the source's data. */
    private static void copyShop(Connection from, Connection to) throws Exception {
        try (Statement t = to.createStatement()) {
            t.execute("CREATE DATABASE shop");
            t.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : LocalRun.TABLES) {
                try (Statement f = from.createStatement(); ResultSet ddl = f.executeQuery("SHOW CREATE TABLE shop.`" + table + "`")) {
                    ddl.next();
                    t.execute("USE shop");
                    t.execute(ddl.getString(2));
                }
                try (Statement f = from.createStatement(); ResultSet rows = f.executeQuery("SELECT * FROM shop.`" + table + "`")) {
                    int n = rows.getMetaData().getColumnCount();
                    String marks = String.join(", ", java.util.Collections.nCopies(n, "?"));
                    try (PreparedStatement insert = to.prepareStatement("INSERT INTO shop.`" + table + "` VALUES (" + marks + ")")) {
                        while (rows.next()) {
                            for (int i = 1; i <= n; i++) {
                                insert.setString(i, rows.getString(i));
                            }
                            insert.executeUpdate();
                        }
                    }
                }
            }
            t.execute("SET FOREIGN_KEY_CHECKS = 1");
        }
    }

    private static void insertCustomers(String prefix, int n) throws Exception {
        try (PreparedStatement ps = source.prepareStatement(
                "INSERT INTO shop.customers (email, name, balance, created_at) VALUES (?, ?, 1.00, NOW(6))")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, prefix + "-" + i + "@example.com");
                ps.setString(2, prefix + " " + i);
                ps.executeUpdate();
            }
        }
    }

    private static long count(String sql) throws Exception {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String offsets(String... args) {
        return offsets(Map.of(), args);
    }

    private static String offsets(Map<String, String> overrides, String... args) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CDC_STORE_URL", stack.store().url(), "CDC_STORE_USER", stack.store().user(),
                "CDC_STORE_PASSWORD", stack.store().password(), "CDC_SOURCE_URL", stack.cdc().url(), "CDC_SOURCE_USER", stack.cdc().user(),
                "CDC_SOURCE_PASSWORD", stack.cdc().password()));
        env.putAll(overrides);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OffsetsCommand.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        assertEquals(0, code, "offsets " + String.join(" ", args) + ": " + out + err);
        return out.toString();
    }

    private static void assertEqualTables() throws Exception {
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", LocalRun.TABLES, TIMEOUT);
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
    }
}
