package dev.cdc.demo;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active connector is killed with kill -9 in the middle of an incremental initial snapshot
 * (cdc.snapshot.mode=incremental): the standby continues from the last committed chunk, not from row 1, and the target
 * ends equal to the source (a table without a primary key included) with no more rows applied again than one chunk in
 * flight.
 */
class SnapshotFailoverIT {

    private static final String NAME = "snapfail";
    private static final int ROWS = Integer.getInteger("snapshot.rows", 60_000);
    private static final int CHUNK = 1_000;
    private static final String BIG = "table=\"shop.big\"";
    /** The connector's engine batch (max.batch.size): records published to Kafka whose offsets a kill -9 did not store. */
    private static final int BATCH = 4096;

    @TempDir
    Path work;
    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;

    @BeforeEach
    void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        SqlScript.runResource(source, "sql/snapshot-big.sql", Map.of("ROWS", Integer.toString(ROWS)));
        pipeline = new Pipeline(stack, Path.of("target", "it-logs", getClass().getSimpleName(), Long.toString(System.currentTimeMillis())), NAME);
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        source.close();
        target.close();
        stack.close();
    }

    @Test
    void standbyContinuesTheSnapshotAfterKillNine() throws Exception {
        Map<String, String> incremental = Map.of("cdc.snapshot.mode", "incremental", "cdc.snapshot.chunk-size", Integer.toString(CHUNK),
                "cdc.snapshot.progress-log-interval", "2s");
        AppProcess processor = pipeline.startProcessor();
        Map<String, AppProcess> instances = new HashMap<>();
        instances.put("a", pipeline.startConnector("a", incremental));
        instances.put("b", pipeline.startConnector("b", incremental));

        // Wait until the active one has committed several chunks, but not all, of shop.big; then kill -9 it.
        String active = null;
        double doneBeforeKill = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline && active == null) {
            for (Map.Entry<String, AppProcess> e : instances.entrySet()) {
                String health = pipeline.get(e.getValue(), "/health");
                String metrics = pipeline.get(e.getValue(), "/prometheus");
                double rows = Metrics.prometheusValue(metrics, "cdc.connector.snapshot.rows", "table:shop.big");
                if (health != null && health.contains("\"snapshot\"") && health.contains("\"state\":\"running\"") && rows >= 5 * CHUNK) {
                    active = e.getKey();
                    doneBeforeKill = rows;
                }
            }
            AppProcess.sleep(20);
        }
        assertTrue(active != null, "an active connector reported a running snapshot with several chunks of shop.big done");
        assertTrue(doneBeforeKill < ROWS, "killed in the middle, at " + doneBeforeKill + " of " + ROWS + " rows");
        instances.get(active).kill9();
        AppProcess standby = instances.get(active.equals("a") ? "b" : "a");

        // The standby takes over and completes the snapshot.
        String metrics = null;
        deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            metrics = pipeline.get(standby, "/prometheus");
            if (metrics != null && metrics.contains("cdc_connector_snapshot_percent{" + BIG + "} 100.0")) {
                break;
            }
            AppProcess.sleep(200);
        }
        assertTrue(metrics != null && metrics.contains("cdc_connector_snapshot_percent{" + BIG + "} 100.0"),
                "the standby finished the snapshot of shop.big: " + metrics);
        double standbyRows = Metrics.prometheusValue(metrics, "cdc.connector.snapshot.rows", "table:shop.big");
        assertTrue(standbyRows < ROWS - 4 * CHUNK, "the standby continued instead of starting from row 1: it read " + standbyRows
                + " of " + ROWS + " rows after the first read " + doneBeforeKill);

        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target",
                List.of("big", "nokey", "customers", "products", "orders", "order_lines"), Duration.ofSeconds(240));
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
        double readTwice = doneBeforeKill + standbyRows - ROWS;
        double appliedReads = Metrics.prometheusValue(pipeline.get(processor, "/prometheus"), "cdc.processor.applied", "op:r");
        System.out.printf("snapshotFailover: killed %s at %.0f of %d rows; the standby read %.0f; rows read twice: %.0f; reads applied: %.0f%n",
                active, doneBeforeKill, ROWS, standbyRows, readTwice, appliedReads);
        // Rows committed to Kafka after the last stored offset are read again: at most one engine batch and the chunk in flight.
        assertTrue(readTwice <= BATCH + CHUNK, "rows read twice: " + readTwice);
        assertTrue(appliedReads <= ROWS + 5 + 11 + BATCH + CHUNK, "snapshot reads applied: " + appliedReads);
        assertTrue(count("SELECT COUNT(*) FROM cdc_target.big") == ROWS);
    }

    private long count(String sql) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
