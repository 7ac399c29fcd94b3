package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk primary-key UPDATE is streamed as delete + tombstone + create per row, all three with one source offset.
 * With small Debezium batches, batch boundaries fall between the delete and the create of a row; the active is
 * killed with kill -9 while the update streams, several times: the target must equal the source each time
 * (no create lost because a stored offset pointed past a half-published key change).
 */
class KeyChangeFailoverIT {

    private static final String NAME = "pk";
    private static final int ROWS = Integer.getInteger("keychange.rows", 3_000);
    /** Not a multiple of 3: full batches end inside a row's delete/tombstone/create two times out of three. */
    private static final String BATCH_SIZE = Integer.getInteger("keychange.batch", 64).toString();
    private static final int ROUNDS = Integer.getInteger("keychange.rounds", 3);

    @TempDir
    Path work;
    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;
    Connection store;

    @BeforeEach
    void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        SqlScript.runResource(source, "sql/key-moves.sql", Map.of("ROWS", Integer.toString(ROWS)));
        pipeline = new Pipeline(stack, Path.of("target", "it-logs", getClass().getSimpleName(), Long.toString(System.currentTimeMillis())), NAME);
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
        store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        for (Connection c : new Connection[] {source, target, store}) {
            c.close();
        }
        stack.close();
    }

    @Test
    void killNineDuringBulkPrimaryKeyUpdatesLosesNoRow() throws Exception {
        Map<String, String> smallBatches = Map.of("debezium.max.batch.size", BATCH_SIZE);
        pipeline.startProcessor();
        Map<String, AppProcess> instances = new java.util.HashMap<>();
        instances.put("a", pipeline.startConnector("a", smallBatches));
        instances.put("b", pipeline.startConnector("b", smallBatches));
        assertKeyMovesEqual(Duration.ofSeconds(120));

        List<String> killedAt = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String activeId = LeaseOwner.await(store, NAME, Duration.ofSeconds(60));
            String before = storedOffset();
            try (Statement s = source.createStatement()) {
                s.executeUpdate("UPDATE shop.key_moves SET id = id + 1000000");
            }
            String inside = awaitOffsetInsideATransaction(before, Duration.ofSeconds(60));
            AppProcess.sleep(100 + 150L * round);
            instances.get(activeId).kill9();
            killedAt.add("round " + round + ": killed " + activeId + " with the stored offset at " + storedOffset() + " (first seen " + inside + ")");
            instances.put(activeId, pipeline.startConnector(activeId, smallBatches)); // back as the standby
            assertKeyMovesEqual(Duration.ofSeconds(120));
        }
        killedAt.forEach(line -> System.out.println("keyChange: " + line));
        assertEquals(ROWS, count(target, "SELECT COUNT(*) FROM cdc_target.key_moves"), "every moved row arrived under its new key");
    }

    private void assertKeyMovesEqual(Duration timeout) throws SQLException {
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", List.of("key_moves"), timeout);
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
    }

    /** Waits until the stored offset is a new one that points into a transaction (event/row set): the update is streaming. */
    private String awaitOffsetInsideATransaction(String before, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String now = storedOffset();
            if (now != null && !now.equals(before) && now.contains("\"event\"")) {
                return now;
            }
            AppProcess.sleep(10);
        }
        throw new AssertionError("the bulk update did not start streaming within " + timeout + "; offset " + storedOffset());
    }

    private String storedOffset() throws SQLException {
        try (PreparedStatement ps = store.prepareStatement("SELECT offset_value FROM cdc_offset WHERE connector_name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
