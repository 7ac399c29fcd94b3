package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.MySqlBinaries;
import dev.cdc.localstack.SqlScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB's INET4, INET6 and UUID columns end to end: edge values (all zero bits, all one bits, IPv4-mapped and
 * IPv4-compatible IPv6, values ending in zero bytes) read by the snapshot, the same values streamed, updates of the
 * columns themselves and of other columns, NULL to value and back, keys of these types updated and deleted, columns and
 * tables of these types added while streaming, and a connector restart that rebuilds the table definitions from the
 * schema history. Each time the target equals the source value by value and column type by column type, the events
 * carry the server's text form, and nothing is dead-lettered.
 */
class MariaDbNetworkTypesIT {

    private static final String PREFIX = "nettypes";
    private static final List<String> TABLES = List.of("net_addr", "net_by_addr", "net_by_uuid");
    private static final List<String> ALL_TABLES = List.of("net_addr", "net_by_addr", "net_by_uuid", "net_created");
    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void addressesAndUuidsArriveExactly(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work); Connection source = stack.source().rootConnection()) {
            stack.loadDemoSchema();
            SqlScript.runResource(source, "sql/network-types-schema.sql", Map.of());
            SqlScript.runResource(source, "sql/network-types-snapshot.sql", Map.of());
            try (Pipeline pipeline = new Pipeline(stack, Path.of("target", "it-logs", "MariaDbNetworkTypesIT-" + System.currentTimeMillis()), PREFIX);
                 Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
                AppProcess processor = pipeline.startProcessor();
                AppProcess connector = pipeline.startConnector("first");
                assertEqual(source, target, TABLES, "after the snapshot");

                SqlScript.runResource(source, "sql/network-types-streaming.sql", Map.of());
                assertEqual(source, target, ALL_TABLES, "after streaming");

                connector.stop(Duration.ofSeconds(60));
                pipeline.startConnector("second");
                SqlScript.runResource(source, "sql/network-types-after-restart.sql", Map.of());
                assertEqual(source, target, ALL_TABLES, "after the connector restarted");

                List<String> definitions = new ArrayList<>();
                for (String table : ALL_TABLES) {
                    definitions.addAll(ExactTableComparison.definitionDifferences(source, "shop", target, "cdc_target", table));
                }
                assertEquals(List.of(), definitions, "target column types");
                assertEquals(defaults(source, "shop"), defaults(target, "cdc_target"), "column defaults of the added columns");

                List<JsonNode> events = events(stack, PREFIX + ".shop.net_addr");
                assertEventValues(events);
                assertEquals(0, deadLetters(stack), "records on the dead-letter topic");
                assertTrue(processor.isAlive(), "the processor is running");
            }
        }
    }

    /**
     * A MySQL target has no INET4, INET6 or UUID: the processor creates those columns as ASCII text (from the snapshot's
     * CREATE TABLE and the streamed ALTER TABLE), holds the values' text, and warns once per table and column.
     */
    @Test
    void aMySqlTargetHoldsTheTextForm(@TempDir Path work) throws Exception {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        try (LocalStack stack = LocalStack.start(work, DatabaseKind.MARIADB, DatabaseKind.MYSQL); Connection source = stack.source().rootConnection()) {
            stack.loadDemoSchema();
            SqlScript.runResource(source, "sql/network-types-schema.sql", Map.of());
            SqlScript.runResource(source, "sql/network-types-snapshot.sql", Map.of());
            try (Pipeline pipeline = new Pipeline(stack, Path.of("target", "it-logs", "MariaDbNetworkTypesIT-mysql-" + System.currentTimeMillis()), PREFIX);
                 Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
                AppProcess processor = pipeline.startProcessor();
                pipeline.startConnector("only");
                assertEquals(List.of(), awaitSameText(source, target, TABLES), "target text differs from the source's after the snapshot");
                // Streamed: the ALTER TABLE and CREATE TABLE statements reach the target with their types substituted.
                SqlScript.runResource(source, "sql/network-types-streaming.sql", Map.of());
                assertEquals(List.of(), awaitSameText(source, target, List.of("net_addr", "net_by_addr", "net_by_uuid")),
                        "target text differs from the source's after streaming");
                // MODIFY b INET4 -> INET6 converts the stored addresses on MariaDB (to ::ffff:a.b.c.d); a text column keeps
                // them (docs/event-format.md, "What a target cannot hold"). Rows written after the ALTER are exact.
                List<String> expected = List.of("::|::|1", "::ffff:1.2.3.4|255.255.255.255|2", "null|8.8.8.8|3", "1::1|::ffff:8.8.4.4|4");
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!expected.equals(textRows(target, "cdc_target", "net_created")) && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                }
                assertEquals(expected, textRows(target, "cdc_target", "net_created"));
                assertEquals(List.of("net_addr.a4=varchar(15)/ascii", "net_addr.a4_added=varchar(15)/ascii", "net_addr.a4_nn=varchar(15)/ascii",
                        "net_addr.a6=varchar(39)/ascii", "net_addr.a6_added=varchar(39)/ascii", "net_addr.a6_nn=varchar(39)/ascii",
                        "net_addr.u=char(36)/ascii", "net_by_addr.addr=varchar(39)/ascii", "net_by_uuid.u=char(36)/ascii",
                        "net_created.addr=varchar(39)/ascii", "net_created.b=varchar(39)/ascii"), textColumns(target));
                String log = processor.logText();
                for (String column : List.of("`net_addr` column `a6`", "`net_addr` column `u`", "`net_by_uuid` column `u`", "`net_created` column `b`")) {
                    assertEquals(1, occurrences(log, "Target table " + column + ": MySQL has no"), "one WARN for " + column);
                }
                assertEquals(0, deadLetters(stack), "records on the dead-letter topic");
            }
        }
    }

    /** Every column as the server's text, source and target, until equal or the time is up; the remaining differences. */
    private static List<String> awaitSameText(Connection source, Connection target, List<String> tables) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> diffs;
        do {
            diffs = new ArrayList<>();
            for (String table : tables) {
                List<String> expected = textRows(source, "shop", table);
                List<String> actual;
                try {
                    actual = textRows(target, "cdc_target", table);
                } catch (java.sql.SQLException e) {
                    actual = List.of(e.getMessage());
                }
                if (!expected.equals(actual)) {
                    diffs.add(table + ": source " + expected + " target " + actual);
                }
            }
            if (diffs.isEmpty()) {
                return diffs;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        return diffs;
    }

    private static List<String> textRows(Connection c, String db, String table) throws Exception {
        List<String> columns = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + db + "' AND TABLE_NAME = '" + table + "' ORDER BY COLUMN_NAME")) {
            while (rs.next()) {
                columns.add("CAST(`" + rs.getString(1) + "` AS CHAR)");
            }
        }
        if (columns.isEmpty()) {
            return List.of("no table");
        }
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + String.join(", ", columns) + " FROM `" + db + "`.`" + table + "` ORDER BY id")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(String.join("|", row));
            }
        }
        return rows;
    }

    private static List<String> textColumns(Connection target) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'cdc_target' AND TABLE_NAME LIKE 'net\\_%' AND CHARACTER_SET_NAME = 'ascii'"
                + " ORDER BY TABLE_NAME, COLUMN_NAME")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "." + rs.getString(2) + "=" + rs.getString(3) + "/" + rs.getString(4));
            }
        }
        return out;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    /** The events carry the server's text form and the source types; the schema change keeps the source's statement. */
    /**
     * An incremental snapshot reads in chunks ordered and bounded by the primary key, so the key's values go back into
     * its queries: tables keyed by INET6 and by UUID (1,200 rows each, many keys ending in zero bytes, IPv4-mapped and
     * IPv4-compatible addresses, chunks of 50 rows), with rows updated, deleted and inserted while the snapshot runs,
     * arrive whole, and no key is read twice.
     */
    @Test
    void keysOfTheseTypesArriveWholeThroughAnIncrementalSnapshot(@TempDir Path work) throws Exception {
        List<String> keyed = List.of("net_by_addr", "net_by_uuid");
        try (LocalStack stack = LocalStack.start(work); Connection source = stack.source().rootConnection()) {
            stack.loadDemoSchema();
            SqlScript.runResource(source, "sql/network-types-schema.sql", Map.of());
            try (Statement s = source.createStatement()) {
                StringBuilder addrs = new StringBuilder("INSERT INTO shop.net_by_addr (addr, id, v) VALUES ");
                StringBuilder uuids = new StringBuilder("INSERT INTO shop.net_by_uuid (u, id, v) VALUES ");
                for (int i = 1; i <= 1_200; i++) {
                    String addr = switch (i % 4) {
                        case 0 -> String.format("%x:%x::%x00", i, i * 7 % 65536, i % 256);
                        case 1 -> String.format("::ffff:10.%d.%d.0", i / 256, i % 256);
                        case 2 -> String.format("::%d.%d.%d.0", 1 + i / 256, i % 256, i % 7);
                        default -> String.format("fe80::%x:0:0", i);
                    };
                    String uuid = String.format("%08x-%04x-4%03x-8000-%012x", i * 2_654_435_761L & 0xffffffffL, i % 65536, i % 4096,
                            i % 3 == 0 ? 0L : (long) i << 24);
                    addrs.append(i > 1 ? ", " : "").append("('").append(addr).append("', ").append(i).append(", ").append(i).append(')');
                    uuids.append(i > 1 ? ", " : "").append("('").append(uuid).append("', ").append(i).append(", ").append(i).append(')');
                }
                s.execute(addrs.toString());
                s.execute(uuids.toString());
            }
            try (Pipeline pipeline = new Pipeline(stack, Path.of("target", "it-logs", "MariaDbNetworkTypesIT-incremental-" + System.currentTimeMillis()), PREFIX);
                 Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
                pipeline.startProcessor();
                pipeline.startConnector("first", Map.of("cdc.snapshot.mode", "incremental", "cdc.snapshot.chunk-size", "50"));
                try (Statement s = source.createStatement()) {
                    // About 10 s of changes: the connector starts and snapshots meanwhile.
                    for (int round = 0; round < 40; round++) {
                        s.executeUpdate("UPDATE shop.net_by_addr SET v = v + 1000 WHERE id % 40 = " + round);
                        s.executeUpdate("UPDATE shop.net_by_uuid SET v = v + 1000 WHERE id % 40 = " + round);
                        s.executeUpdate("DELETE FROM shop.net_by_addr WHERE id = " + (round * 29 + 3));
                        s.executeUpdate("DELETE FROM shop.net_by_uuid WHERE id = " + (round * 29 + 3));
                        s.executeUpdate("INSERT INTO shop.net_by_addr (addr, id, v) VALUES ('2001:db8::" + Integer.toHexString(round) + ":0', "
                                + (5_000 + round) + ", 0)");
                        s.executeUpdate("INSERT INTO shop.net_by_uuid (u, id, v) VALUES ('00000000-0000-4000-8000-0000000000" + String.format("%02x", round)
                                + "', " + (5_000 + round) + ", 0)");
                        Thread.sleep(250);
                    }
                }
                assertEqual(source, target, keyed, "after the incremental snapshot");
                for (String table : keyed) {
                    Map<String, Integer> reads = new HashMap<>();
                    for (JsonNode e : events(stack, PREFIX + ".shop." + table)) {
                        if ("r".equals(e.path("op").asText())) {
                            reads.merge(e.get("key").toString(), 1, Integer::sum);
                        }
                    }
                    assertTrue(reads.size() >= 1_000, table + ": rows read by the snapshot: " + reads.size());
                    assertEquals(List.of(), reads.entrySet().stream().filter(r -> r.getValue() > 1).map(Map.Entry::getKey).toList(),
                            table + ": keys read twice");
                }
                assertEquals(0, deadLetters(stack), "records on the dead-letter topic");
            }
        }
    }

    private static void assertEventValues(List<JsonNode> events) {
        JsonNode snapshot = row(events, "r", 3);
        assertEquals("10.0.0.1", snapshot.get("after").get("a4").asText());
        assertEquals("::ffff:10.0.0.1", snapshot.get("after").get("a6").asText());
        assertEquals("123e4567-e89b-12d3-a456-426614174000", snapshot.get("after").get("u").asText());
        JsonNode streamed = row(events, "c", 13);
        for (String column : List.of("a4", "a4_nn", "a6", "a6_nn", "u")) {
            assertEquals(snapshot.get("after").get(column), streamed.get("after").get(column), column + ": the snapshot and the binlog agree");
        }
        JsonNode zeros = row(events, "c", 11).get("after");
        assertEquals("0.0.0.0", zeros.get("a4").asText());
        assertEquals("::", zeros.get("a6").asText());
        assertEquals("00000000-0000-0000-0000-000000000000", zeros.get("u").asText());
        JsonNode untouched = row(events, "u", 5);
        assertEquals("ffffffff-ffff-ffff-ffff-ffffffffff00", untouched.get("before").get("u").asText());
        assertEquals("ffffffff-ffff-ffff-ffff-ffffffffff00", untouched.get("after").get("u").asText());
        for (JsonNode column : snapshot.get("columns")) {
            String name = column.get("name").asText();
            String expected = switch (name) {
                case "a4", "a4_nn" -> "INET4";
                case "a6", "a6_nn" -> "INET6";
                case "u" -> "UUID";
                default -> null;
            };
            if (expected != null) {
                assertEquals(expected, column.get("type").asText(), name + " type");
                assertEquals(expected, column.get("sql_type").asText(), name + " sql_type");
            }
        }
        JsonNode alter = events.stream().filter(e -> "s".equals(e.path("op").asText()) && e.get("schema_change").get("kind").asText().equals("ALTER"))
                .findFirst().orElse(null);
        assertNotNull(alter, "the ALTER TABLE event");
        assertTrue(alter.get("schema_change").get("ddl").asText().contains("a6_added INET6 NULL DEFAULT '::1', ADD COLUMN a4_added inet4"),
                "the statement as the source ran it: " + alter.get("schema_change").get("ddl").asText());
    }

    private static JsonNode row(List<JsonNode> events, String op, int id) {
        return events.stream().filter(e -> op.equals(e.path("op").asText()))
                .filter(e -> e.path(op.equals("d") ? "before" : "after").path("id").asInt(-1) == id)
                .findFirst().orElseThrow(() -> new AssertionError("no event op " + op + " for id " + id));
    }

    private static void assertEqual(Connection source, Connection target, List<String> tables, String when) throws Exception {
        List<String> diffs = ExactTableComparison.awaitEqual(source, "shop", target, "cdc_target", tables, TIMEOUT);
        assertTrue(diffs.isEmpty(), "target differs from source " + when + ":\n" + String.join("\n", diffs));
    }

    /** Column defaults of the INET columns, by table and column. */
    private static List<String> defaults(Connection c, String db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = '" + db + "' AND TABLE_NAME LIKE 'net\\_%' AND DATA_TYPE IN ('inet4', 'inet6') ORDER BY TABLE_NAME, COLUMN_NAME")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "." + rs.getString(2) + "=" + rs.getString(3));
            }
        }
        return out;
    }

    /** Every committed event of {@code topic}, read up to its end (the connector has published all by now). */
    private static List<JsonNode> events(LocalStack stack, String topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "reading " + topic + " to its end took over 60 s");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        out.add(JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return out;
    }

    private static int deadLetters(LocalStack stack) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "dlq-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed", "allow.auto.create.topics", "false");
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(PREFIX + ".dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println("dead letter: " + r.headers() + " " + (r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                    count++;
                }
            }
        }
        return count;
    }
}
