package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's actions on the source and the offsets must never make the processor skip changes, nor leave rows
 * the source no longer has (docs/design.md, "Apply once with lineage" and "Converge"). Scenario: while the connector is
 * stopped rows are deleted at the source and its binlog is reset (RESET MASTER, as after a rebuild); the documented
 * remedy `offsets reset` is run and the connector restarted under a concurrent workload. The re-snapshot removes the
 * deleted rows from the target, and every row written afterwards arrives, although its binlog coordinates are lower
 * than those the processor applied before.
 */
class OperatorActionsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String CONNECTOR = "ops";

    @TempDir
    static Path work;
    static LocalStack stack;
    static Pipeline pipeline;
    static AppProcess processor;
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
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        stack.close();
    }

    @Test
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
        Map<String, String> env = Map.of("CDC_STORE_URL", stack.store().url(), "CDC_STORE_USER", stack.store().user(),
                "CDC_STORE_PASSWORD", stack.store().password(), "CDC_SOURCE_URL", stack.cdc().url(), "CDC_SOURCE_USER", stack.cdc().user(),
                "CDC_SOURCE_PASSWORD", stack.cdc().password());
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
