package dev.cdc.connector;

import static dev.cdc.connector.ConnectorHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.connector.ConnectorHarness.Event;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot, streaming and restart of one connector against a real source and Kafka, read back from the topics.
 * MariaDB here (source and store); {@link MySqlConnectorStreamingIT} runs the same against MySQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorStreamingIT {

    private static final String NAME = "it-stream";
    private static final String TOPICS = NAME + "\\.shop\\..*";

    LocalStack stack;

    /** The kind of both servers: the source, and the one hosting the store. */
    DatabaseKind kind() {
        return DatabaseKind.MARIADB;
    }

    /** Checks that only hold for one kind of source (e.g. its GTID format) on a streamed change event. */
    void checkSourceSpecifics(Event change) {
    }

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        stack = LocalStack.start(work, kind(), kind());
        stack.loadDemoSchema();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void snapshotThenStreamingThenRestartWithoutResending() throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        ApplicationContext first = ConnectorHarness.start(ConnectorHarness.properties(stack, NAME, "a"));
        List<Event> snapshot;
        try {
            snapshot = ConnectorHarness.readUntil(bootstrap, TOPICS, ev -> count(ev, "r") >= 11, Duration.ofSeconds(90));
            assertEquals(11, count(snapshot, "r"), "3 customers + 3 products + 2 orders + 3 order lines");

            assertSnapshotStartsWithMarkers(snapshot);
            Event customer = snapshot.stream().filter(e -> "r".equals(e.op()) && e.topic().equals(NAME + ".shop.customers")
                    && e.key().get("id").asLong() == 3).findFirst().orElseThrow();
            JsonNode v = customer.value();
            assertEquals(dev.cdc.contract.EventFormat.VERSION, v.get("v").asInt());
            assertEquals(0, v.get("source").get("generation").asLong(), "the connector's first lineage generation");
            String server = v.get("source").get("server").asText();
            assertTrue(server.startsWith("mariadb:") || server.startsWith("mysql:"), "the source server's identity: " + v.get("source"));
            assertEquals("0", customer.headers().get("cdc.generation"));
            assertTrue(v.get("source").get("snapshot").asBoolean());
            assertTrue(v.get("before").isNull());
            assertEquals("Edsger Dijkstra 🙂", v.get("after").get("name").asText());
            assertEquals("9999.99", v.get("after").get("balance").asText());
            assertEquals("2024-03-21T08:15:42.500000", v.get("after").get("created_at").asText());
            Map<String, JsonNode> columns = columns(v);
            assertEquals("BIGINT UNSIGNED", columns.get("id").get("sql_type").asText());
            assertTrue(columns.get("id").get("key").asBoolean());
            assertEquals("DECIMAL(12,2)", columns.get("balance").get("sql_type").asText());
            assertEquals("DATETIME(6)", columns.get("created_at").get("sql_type").asText());
            assertEquals("TIMESTAMP(3)", columns.get("updated_at").get("sql_type").asText());
            assertEquals("VARCHAR(255)", columns.get("email").get("sql_type").asText());
            assertEquals(NAME, customer.headers().get("cdc.connector"));
            assertEquals("a", customer.headers().get("cdc.instance"));
            assertNotNull(customer.headers().get("cdc.epoch"));

            Event line = snapshot.stream().filter(e -> "r".equals(e.op()) && e.topic().equals(NAME + ".shop.order_lines")).findFirst().orElseThrow();
            assertEquals(Set.of("order_id", "line_no"), fieldNames(line.key()));
            Event order = snapshot.stream().filter(e -> "r".equals(e.op()) && e.topic().equals(NAME + ".shop.orders")).findFirst().orElseThrow();
            assertEquals("ENUM('new','paid','shipped','cancelled')", columns(order.value()).get("status").get("sql_type").asText());
            Event product = snapshot.stream().filter(e -> "r".equals(e.op()) && e.topic().equals(NAME + ".shop.products")
                    && e.key().get("sku").asText().equals("MS-02")).findFirst().orElseThrow();
            assertEquals("sale,eco", product.value().get("after").get("tags").asText());
            assertTrue(product.value().get("after").get("attributes").isObject(), "JSON columns are JSON: " + product.value());
            assertEquals(1600, product.value().get("after").get("attributes").get("dpi").get(1).asInt());

            try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('new@example.com', 'New', 1.50, NOW(6))");
                s.execute("UPDATE shop.products SET stock = stock - 1, price = 18.49 WHERE sku = 'MS-02'");
                c.setAutoCommit(false);
                s.execute("DELETE FROM shop.order_lines WHERE order_id = 1 AND line_no = 2");
                s.execute("INSERT INTO shop.order_lines VALUES (1, 3, 'MN-27', 2), (1, 4, 'KB-01', 1)");
                s.execute("UPDATE shop.orders SET status = 'shipped' WHERE id IN (1, 2)");
                c.commit();
            }
            List<Event> all = ConnectorHarness.readUntil(bootstrap, TOPICS,
                    ev -> count(ev, "c") >= 3 && count(ev, "u") >= 3 && count(ev, "d") >= 1, Duration.ofSeconds(60));
            assertEquals(3, count(all, "c"));
            assertEquals(3, count(all, "u"));
            assertEquals(1, count(all, "d"));
            Event update = all.stream().filter(e -> "u".equals(e.op()) && e.topic().endsWith(".products")).findFirst().orElseThrow();
            assertEquals("19.99", update.value().get("before").get("price").asText());
            assertEquals("18.49", update.value().get("after").get("price").asText());
            assertEquals(24, update.value().get("after").get("stock").asInt());
            Event delete = all.stream().filter(e -> "d".equals(e.op())).findFirst().orElseThrow();
            assertTrue(delete.value().get("after").isNull());
            assertEquals("MS-02", delete.value().get("before").get("sku").asText());
            assertTrue(all.stream().anyMatch(e -> e.value() == null && e.topic().endsWith(".order_lines")), "tombstone after the delete");
            assertPositionsIncrease(all);
            checkSourceSpecifics(all.stream().filter(e -> "c".equals(e.op())).findFirst().orElseThrow());
            // Kept as build output: the README's event examples are copied from a real run.
            String sampleFile = kind() == DatabaseKind.MARIADB ? "sample-events.jsonl" : "sample-events-" + kind().name().toLowerCase(java.util.Locale.ROOT) + ".jsonl";
            java.nio.file.Files.write(Path.of("target", sampleFile), all.stream()
                    .map(e -> e.topic() + " " + e.headers() + " " + e.key() + " " + e.value()).toList());
        } finally {
            first.close();
        }

        // Changes while the connector is down arrive after restart; nothing committed before is sent again.
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('down1@example.com', 'Down One', 0, NOW(6))");
            s.execute("UPDATE shop.customers SET balance = 7.25 WHERE email = 'ada@example.com'");
        }
        ApplicationContext second = ConnectorHarness.start(ConnectorHarness.properties(stack, NAME, "b"));
        try {
            List<Event> after = ConnectorHarness.readUntil(bootstrap, TOPICS, ev -> count(ev, "c") >= 4 && count(ev, "u") >= 4,
                    Duration.ofSeconds(60));
            assertEquals(4, count(after, "c"));
            assertEquals(4, count(after, "u"));
            assertEquals(11, count(after, "r"), "no second snapshot");
            List<Event> changes = after.stream().filter(ConnectorStreamingIT::isRowChange).toList();
            Set<String> positions = changes.stream().map(e -> Arrays.toString(e.position())).collect(Collectors.toSet());
            assertEquals(changes.size(), positions.size(), "no change was published twice");
            assertTrue(changes.stream().filter(e -> "b".equals(e.headers().get("cdc.instance"))).count() == 2,
                    "exactly the two changes made while down were published by the restarted instance");
        } finally {
            second.close();
        }
    }

    private static boolean isRowChange(Event e) {
        return e.value() != null && Set.of("c", "u", "d").contains(e.op());
    }

    /**
     * Every table's topic has a snapshot-started marker on each of its partitions, before that partition's first
     * snapshot row, even a table without rows (docs/design.md, "Converge").
     */
    private static void assertSnapshotStartsWithMarkers(List<Event> snapshot) {
        for (String table : List.of("customers", "products", "orders", "order_lines")) {
            String topic = NAME + ".shop." + table;
            Map<Integer, List<Event>> byPartition = snapshot.stream().filter(e -> e.topic().equals(topic))
                    .sorted(Comparator.comparingLong(Event::offset)).collect(Collectors.groupingBy(Event::partition));
            assertFalse(byPartition.isEmpty(), "events on " + topic);
            for (Map.Entry<Integer, List<Event>> p : byPartition.entrySet()) {
                Event first = p.getValue().get(0);
                assertEquals("m", first.op(), topic + "-" + p.getKey() + " starts with the snapshot marker: " + first.value());
                assertEquals("snapshot_started", first.value().get("marker").asText());
                assertEquals(table, first.value().get("source").get("table").asText());
            }
        }
    }

    private static void assertPositionsIncrease(List<Event> events) {
        Map<String, List<Event>> byPartition = events.stream().filter(ConnectorStreamingIT::isRowChange)
                .collect(Collectors.groupingBy(e -> e.topic() + "/" + e.partition()));
        Comparator<long[]> order = (a, b) -> Arrays.compare(a, b);
        for (List<Event> partition : byPartition.values()) {
            List<Event> sorted = partition.stream().sorted(Comparator.comparingLong(Event::offset)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertTrue(order.compare(sorted.get(i - 1).position(), sorted.get(i).position()) < 0,
                        "positions increase within " + sorted.get(i).topic() + ": " + Arrays.toString(sorted.get(i - 1).position())
                                + " then " + Arrays.toString(sorted.get(i).position()));
            }
        }
        Set<String> unique = new HashSet<>();
        events.stream().filter(ConnectorStreamingIT::isRowChange)
                .forEach(e -> assertTrue(unique.add(Arrays.toString(e.position())), "position unique: " + Arrays.toString(e.position())));
    }

    private static Map<String, JsonNode> columns(JsonNode value) {
        return StreamSupport.stream(value.get("columns").spliterator(), false)
                .collect(Collectors.toMap(c -> c.get("name").asText(), c -> c));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
