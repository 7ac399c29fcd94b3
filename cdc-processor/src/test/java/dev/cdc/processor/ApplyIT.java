package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.json;
import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.localstack.LocalStack;
import dev.cdc.processor.EventProducer.Out;
import dev.cdc.processor.event.EventParser;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: snapshot reads, inserts, an update, a delete (+ tombstone) and an event with a new column for a table
 * with many column types arrive; the processor creates the table from the metadata, adds the column, and the target
 * rows hold exactly the source values. Then the same streamed events arrive again (a connector failover re-sends
 * them): they are skipped and counted, and the target does not change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyIT {

    private static final String PREFIX = "applyit";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static RunningProcessor processor;
    static EventProducer producer;

    static final byte[] RAW = {0x00, (byte) 0xFF, 0x10, (byte) 0x80, 0x7F};
    static final byte[] BLOB = new byte[300];

    static final TestEvents.Table TYPES = new TestEvents.Table("shop", "everything")
            .column("id", "BIGINT UNSIGNED", "BIGINT UNSIGNED", false, true)
            .column("u64", "BIGINT UNSIGNED", "BIGINT UNSIGNED", true, false)
            .column("i8", "TINYINT", "TINYINT", true, false)
            .column("amount", "DECIMAL", "DECIMAL(20,6)", true, false)
            .column("ratio", "DOUBLE", "DOUBLE", true, false)
            .column("day", "DATE", "DATE", true, false)
            .column("at_dt", "DATETIME", "DATETIME(6)", true, false)
            .column("at_ts", "TIMESTAMP", "TIMESTAMP(3)", true, false)
            .column("dur", "TIME", "TIME(1)", true, false)
            .column("yr", "YEAR", "YEAR", true, false)
            .column("title", "VARCHAR", "VARCHAR(100)", false, false)
            .column("body", "TEXT", "TEXT", true, false)
            .column("raw", "VARBINARY", "VARBINARY(16)", true, false)
            .column("blob_data", "BLOB", "BLOB", true, false)
            .column("doc", "JSON", "JSON", true, false)
            .column("status", "ENUM", "ENUM('new','paid','shipped')", true, false)
            .column("tags", "SET", "SET('sale','eco','new')", true, false)
            .column("flag", "BIT", "BIT(1)", true, false)
            .column("bits", "BIT", "BIT(10)", true, false)
            .column("maybe", "VARCHAR", "VARCHAR(10)", true, false);

    @BeforeAll
    static void startStack() {
        new Random(42).nextBytes(BLOB);
        stack = LocalStack.start(workDir);
        producer = new EventProducer(stack.kafka().bootstrapServers(), "applyit-connector");
        processor = RunningProcessor.start(RunningProcessor.properties(stack, PREFIX));
    }

    @AfterAll
    static void stopStack() {
        if (processor != null) {
            processor.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static ObjectNode snapshotRow1() {
        return row("id", 1, "u64", 5, "i8", 1, "amount", "1.500000", "ratio", 0.5, "day", "2024-01-01",
                "at_dt", "2024-01-01T00:00:00.000000", "at_ts", "2024-01-01T00:00:00.000Z", "dur", "00:00:01.0", "yr", 2000,
                "title", "before", "body", "b", "raw", Base64.getEncoder().encodeToString(new byte[] {1}), "blob_data", null,
                "doc", json("{\"v\":0}"), "status", "new", "tags", "", "flag", false, "bits", 1, "maybe", "x");
    }

    static ObjectNode updatedRow1() {
        return row("id", 1, "u64", new BigInteger("18446744073709551615"), "i8", -128, "amount", "12345678901234.123456",
                "ratio", 3.141592653589793, "day", "2024-02-29", "at_dt", "2024-03-21T08:15:42.500000",
                "at_ts", "2024-03-21T08:15:42.123Z", "dur", "123:45:06.5", "yr", 2024, "title", "héllo 👋🏽 世界",
                "body", "multi\nline ✓", "raw", Base64.getEncoder().encodeToString(RAW),
                "blob_data", Base64.getEncoder().encodeToString(BLOB), "doc", json("{\"a\":[1,2.50,\"x\"],\"b\":null,\"c\":{\"d\":true}}"),
                "status", "paid", "tags", "sale,eco", "flag", true, "bits", 513, "maybe", null);
    }

    static ObjectNode nullRow(int id) {
        return row("id", id, "u64", null, "i8", null, "amount", null, "ratio", null, "day", null, "at_dt", null, "at_ts", null,
                "dur", null, "yr", null, "title", "only title", "body", null, "raw", null, "blob_data", null, "doc", null,
                "status", null, "tags", null, "flag", null, "bits", null, "maybe", null);
    }

    static ObjectNode row2() {
        return row("id", 2, "u64", 2, "i8", 2, "amount", "2.000000", "ratio", 2.0, "day", "2020-02-02",
                "at_dt", "2020-02-02T02:02:02.000000", "at_ts", "2020-02-02T02:02:02.000Z", "dur", "02:02:02.0", "yr", 2002,
                "title", "two", "body", null, "raw", null, "blob_data", null, "doc", json("[2]"), "status", "shipped",
                "tags", "new", "flag", true, "bits", 2, "maybe", null);
    }

    static ObjectNode row4() {
        ObjectNode r = nullRow(4);
        r.put("title", "with note");
        r.put("note", "added later");
        return r;
    }

    /** Streamed transactions (c/u/d, tombstone, new column) — produced twice in the duplicate test. */
    static List<List<Out>> streamed() {
        String topic = TYPES.topic(PREFIX);
        List<Out> txA = List.of(
                EventProducer.event(topic, null, TYPES.create("binlog.000002", 500, 2, 1, nullRow(3))),
                EventProducer.event(topic, null, TYPES.update("binlog.000002", 500, 3, 1, snapshotRow1(), updatedRow1())));
        ObjectNode delete = TYPES.delete("binlog.000002", 900, 2, 1, row2());
        List<Out> txB = List.of(EventProducer.event(topic, null, delete), EventProducer.tombstone(topic, null, delete));
        // The source added a column: the event's metadata carries it; the binlog moved to the next file (pos restarts).
        TestEvents.Table withNote = new TestEvents.Table("shop", "everything");
        ObjectNode c4 = TYPES.create("binlog.000003", 4, 2, 1, row4());
        ObjectNode noteColumn = EventParser.JSON.createObjectNode().put("name", "note").put("type", "VARCHAR")
                .put("sql_type", "VARCHAR(50)").put("nullable", true).put("key", false);
        ((com.fasterxml.jackson.databind.node.ArrayNode) c4.get("columns")).add(noteColumn);
        List<Out> txC = List.of(EventProducer.event(topic, null, c4));
        return List.of(txA, txB, txC);
    }

    @Test
    @Order(1)
    void appliesAllTypesCreatesTableAddsColumnAndSkipsDuplicates() throws Exception {
        String topic = TYPES.topic(PREFIX);
        producer.sendTransaction(List.of(
                EventProducer.event(topic, null, TYPES.snapshotRead("binlog.000002", 100, snapshotRow1())),
                EventProducer.event(topic, null, TYPES.snapshotRead("binlog.000002", 100, row2()))));
        for (List<Out> tx : streamed()) {
            producer.sendTransaction(tx);
        }
        RunningProcessor.await(TIMEOUT, "all events applied", () -> processor.count(ProcessorMetrics.APPLIED) >= 6
                && processor.count(ProcessorMetrics.TOMBSTONES_IGNORED) >= 1);

        assertEquals(2, processor.count(ProcessorMetrics.APPLIED, "op", "r"));
        assertEquals(2, processor.count(ProcessorMetrics.APPLIED, "op", "c"));
        assertEquals(1, processor.count(ProcessorMetrics.APPLIED, "op", "u"));
        assertEquals(1, processor.count(ProcessorMetrics.APPLIED, "op", "d"));
        assertEquals(0, processor.count(ProcessorMetrics.DUPLICATES_SKIPPED));
        assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));

        try (Connection c = RunningProcessor.target(stack)) {
            assertEquals(List.of(1L, 3L, 4L), ids(c));
            assertRow1(c);
            assertNullRow(c, 3, "only title", null);
            assertNullRow(c, 4, "with note", "added later");
            Map<String, String> types = columnTypes(c);
            assertEquals("bigint(20) unsigned", types.get("id"));
            assertEquals("decimal(20,6)", types.get("amount"));
            assertEquals("timestamp(3)", types.get("at_ts"));
            assertEquals("enum('new','paid','shipped')", types.get("status"));
            assertEquals("varchar(50)", types.get("note"));
            assertEquals(List.of("id"), primaryKey(c));
            assertEquals("NO", nullable(c, "title"));
            assertEquals("YES", nullable(c, "maybe"));
        }
        Map<Long, List<Object>> before = snapshot();

        // A connector failover re-sends the streamed events: same source positions, new Kafka offsets.
        for (List<Out> tx : streamed()) {
            producer.sendTransaction(tx);
        }
        RunningProcessor.await(TIMEOUT, "duplicates skipped", () -> processor.count(ProcessorMetrics.DUPLICATES_SKIPPED) >= 4
                && processor.count(ProcessorMetrics.TOMBSTONES_IGNORED) >= 2);
        Thread.sleep(1000);
        assertEquals(4, processor.count(ProcessorMetrics.DUPLICATES_SKIPPED));
        assertEquals(6, processor.count(ProcessorMetrics.APPLIED));
        assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));
        assertEquals(before, snapshot());

        HttpResponse<String> health = processor.get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        HttpResponse<String> prometheus = processor.get("/prometheus");
        assertEquals(200, prometheus.statusCode());
        assertTrue(prometheus.body().contains("cdc_processor_duplicates_skipped_total 4.0"), prometheus.body());
        assertTrue(prometheus.body().contains("cdc_processor_applied_total{op=\"u\"} 1.0"), prometheus.body());

        // A crash between the target commit and the Kafka offset commit: the consumer group's offsets go back to 0.
        // The processor positions its consumer from the target's watermark instead, so no record is read or applied
        // again (not even the snapshot reads, which have no position test); the next new change is applied.
        processor.close();
        processor = null;
        resetGroupOffsets(PREFIX + "-processor", topic);
        processor = RunningProcessor.start(RunningProcessor.properties(stack, PREFIX));
        ObjectNode row5 = nullRow(5);
        row5.put("note", "after the restart");
        producer.sendTransaction(List.of(EventProducer.event(topic, null, TYPES.create("binlog.000003", 800, 2, 1, row5))));
        RunningProcessor.await(TIMEOUT, "the new change applied", () -> processor.count(ProcessorMetrics.APPLIED) >= 1);
        Thread.sleep(1000);
        assertEquals(1, processor.count(ProcessorMetrics.APPLIED));
        assertEquals(0, processor.count(ProcessorMetrics.REDELIVERED_SKIPPED), "positioned from the watermark: nothing read again");
        assertEquals(0, processor.count(ProcessorMetrics.DUPLICATES_SKIPPED));
        Map<Long, List<Object>> after = snapshot();
        after.remove(5L);
        assertEquals(before, after);
    }

    private static void resetGroupOffsets(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
            RunningProcessor.await(TIMEOUT, "the processor's group is empty", () -> {
                try {
                    return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                zero.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(group, zero).all().get();
        }
    }

    private static void assertRow1(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CAST(u64 AS CHAR), i8, CAST(amount AS CHAR), ratio, CAST(day AS CHAR), "
                + "CAST(at_dt AS CHAR), CAST(at_ts AS CHAR), CAST(dur AS CHAR), yr, title, body, raw, blob_data, doc, status, tags, "
                + "flag + 0, bits + 0, maybe FROM everything WHERE id = 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("18446744073709551615", rs.getString(1));
                assertEquals(-128, rs.getInt(2));
                assertEquals("12345678901234.123456", rs.getString(3));
                assertEquals(3.141592653589793, rs.getDouble(4));
                assertEquals("2024-02-29", rs.getString(5));
                assertEquals("2024-03-21 08:15:42.500000", rs.getString(6));
                assertEquals("2024-03-21 08:15:42.123", rs.getString(7));
                assertEquals("123:45:06.5", rs.getString(8));
                assertEquals(2024, rs.getInt(9));
                assertEquals("héllo 👋🏽 世界", rs.getString(10));
                assertEquals("multi\nline ✓", rs.getString(11));
                assertArrayEquals(RAW, rs.getBytes(12));
                assertArrayEquals(BLOB, rs.getBytes(13));
                assertEquals(json("{\"a\":[1,2.50,\"x\"],\"b\":null,\"c\":{\"d\":true}}"), json(rs.getString(14)));
                assertEquals("paid", rs.getString(15));
                assertEquals("sale,eco", rs.getString(16));
                assertEquals(1, rs.getInt(17));
                assertEquals(513, rs.getInt(18));
                assertNull(rs.getString(19));
            }
        }
    }

    private static void assertNullRow(Connection c, int id, String title, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM everything WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String name = md.getColumnName(i);
                    Object value = rs.getObject(i);
                    switch (name) {
                        case "id" -> assertEquals(id, ((Number) value).intValue());
                        case "title" -> assertEquals(title, value);
                        case "note" -> assertEquals(note, value);
                        default -> assertNull(value, name + " of row " + id);
                    }
                }
            }
        }
    }

    /**
     * Rows go to the target as multi-row statements of power-of-two sizes, cut short by an estimate of their bytes: 1,300
     * rows in one transaction, large values among them (six in a row of 600 kB cut a statement short at the 4 MiB
     * estimate), a key inserted, deleted and inserted again, and a key updated twice between — every row arrives, in order.
     */
    @Test
    @Order(2)
    void manyRowsOfOneTransactionArriveExactlyAndInOrder() throws Exception {
        TestEvents.Table bulk = new TestEvents.Table("shop", "bulk")
                .column("id", "BIGINT", "BIGINT", false, true)
                .column("v", "VARCHAR", "VARCHAR(20)", false, false)
                .column("data", "LONGBLOB", "LONGBLOB", true, false);
        String topic = bulk.topic(PREFIX);
        Map<Long, String> values = new HashMap<>();
        Map<Long, byte[]> data = new HashMap<>();
        List<Out> tx = new ArrayList<>();
        long event = 1;
        Random random = new Random(7);
        for (long id = 1; id <= 1_300; id++) {
            byte[] bytes = null;
            if (id % 250 == 0 || (id > 600 && id <= 606)) {
                bytes = new byte[600_000];
                random.nextBytes(bytes);
                data.put(id, bytes);
            }
            values.put(id, "v" + id);
            tx.add(EventProducer.event(topic, null, bulk.create("binlog.000009", 4, event++, 1,
                    row("id", id, "v", "v" + id, "data", bytes == null ? null : Base64.getEncoder().encodeToString(bytes)))));
        }
        ObjectNode five = row("id", 5, "v", "v5", "data", null);
        tx.add(EventProducer.event(topic, null, bulk.delete("binlog.000009", 4, event++, 1, five)));
        tx.add(EventProducer.event(topic, null, bulk.create("binlog.000009", 4, event++, 1, row("id", 5, "v", "again", "data", null))));
        values.put(5L, "again");
        ObjectNode seven = row("id", 7, "v", "v7", "data", null);
        ObjectNode sevenOnce = row("id", 7, "v", "once", "data", null);
        tx.add(EventProducer.event(topic, null, bulk.update("binlog.000009", 4, event++, 1, seven, sevenOnce)));
        tx.add(EventProducer.event(topic, null, bulk.update("binlog.000009", 4, event++, 1, sevenOnce, row("id", 7, "v", "twice", "data", null))));
        values.put(7L, "twice");
        producer.sendTransaction(tx);

        RunningProcessor.await(TIMEOUT, "the bulk transaction applied", () -> {
            try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(v = 'twice') FROM bulk")) {
                return rs.next() && rs.getLong(1) == 1_300 && rs.getInt(2) == 1;
            } catch (SQLException tableNotYetThere) {
                return false;
            }
        });
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, v, data FROM bulk ORDER BY id")) {
            long expected = 1;
            while (rs.next()) {
                long id = rs.getLong(1);
                assertEquals(expected++, id);
                assertEquals(values.get(id), rs.getString(2), "v of id " + id);
                assertArrayEquals(data.get(id), rs.getBytes(3), "data of id " + id);
            }
            assertEquals(1_301, expected, "1,300 rows");
        }
        assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));
    }

    /**
     * A primary-key change arrives as a delete of the old key and an insert of the new one, on the partitions of the two
     * keys, so the insert can be applied first. With a secondary UNIQUE key the insert then finds the old row: it must
     * take over that row (new key and values), and the late delete of the old key find nothing — not leave the old key
     * with the new values for the delete to remove.
     */
    @Test
    @Order(3)
    void aKeyChangesInsertAppliedBeforeItsDeleteKeepsTheRow() throws Exception {
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE by_code (code VARCHAR(10) NOT NULL PRIMARY KEY, id INT NOT NULL UNIQUE, v INT)");
        }
        TestEvents.Table byCode = new TestEvents.Table("shop", "by_code")
                .column("code", "VARCHAR", "VARCHAR(10)", false, true)
                .column("id", "INT", "INT", false, false)
                .column("v", "INT", "INT", true, false);
        String topic = byCode.topic(PREFIX);
        producer.sendTransaction(List.of(EventProducer.event(topic, 0, byCode.create("binlog.000010", 4, 1, 1, row("code", "old", "id", 4, "v", 1)))));
        RunningProcessor.await(TIMEOUT, "the first row applied", () -> codes().equals(List.of("old:4:1")));

        // The source ran UPDATE by_code SET code = 'new', v = 2 WHERE id = 4: the insert comes first, from the other partition.
        producer.sendTransaction(List.of(EventProducer.event(topic, 1, byCode.create("binlog.000010", 500, 2, 1, row("code", "new", "id", 4, "v", 2)))));
        RunningProcessor.await(TIMEOUT, "the new key applied", () -> codes().equals(List.of("new:4:2")));
        double deletes = processor.count(ProcessorMetrics.APPLIED, "op", "d");
        producer.sendTransaction(List.of(EventProducer.event(topic, 0, byCode.delete("binlog.000010", 500, 2, 1, row("code", "old", "id", 4, "v", 1)))));
        RunningProcessor.await(TIMEOUT, "the delete of the old key applied",
                () -> processor.count(ProcessorMetrics.APPLIED, "op", "d") > deletes);
        assertEquals(List.of("new:4:2"), codes(), "the row with its new key stays");
        assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));
    }

    private static List<String> codes() {
        List<String> rows = new ArrayList<>();
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT code, id, v FROM by_code ORDER BY code")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getInt(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static List<Long> ids(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM everything ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static Map<Long, List<Object>> snapshot() throws SQLException {
        Map<Long, List<Object>> rows = new LinkedHashMap<>();
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM everything ORDER BY id")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    int type = rs.getMetaData().getColumnType(i);
                    boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
                    byte[] bytes = binary ? rs.getBytes(i) : null;
                    values.add(binary ? (bytes == null ? null : Base64.getEncoder().encodeToString(bytes)) : rs.getString(i));
                }
                rows.put(rs.getLong("id"), values);
            }
        }
        return rows;
    }

    private static Map<String, String> columnTypes(Connection c) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'everything'")) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        }
        return types;
    }

    private static String nullable(Connection c, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT IS_NULLABLE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'everything' AND COLUMN_NAME = ?")) {
            ps.setString(1, column);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static List<String> primaryKey(Connection c) throws SQLException {
        List<String> key = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'everything' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            while (rs.next()) {
                key.add(rs.getString(1));
            }
        }
        assertFalse(key.isEmpty());
        return key;
    }
}
