package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import dev.cdc.processor.EventProducer.Out;
import dev.cdc.processor.dlq.DeadLetterPublisher;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: three poison records sit in one partition between good ones — a value too long for a column created
 * earlier, a NULL for a NOT NULL column, and an event of an unknown format version. Each is retried max-attempts
 * times, then lands in the DLQ with its original key, value and headers plus the diagnostic headers; the good
 * records around and after them are applied. Each dead letter is also a row of {@code cdc_dead_letter}, written with
 * the watermark that moved past it, and the table is reported diverged.
 */
class PoisonIT {

    private static final String PREFIX = "poisonit";
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static RunningProcessor processor;
    static EventProducer producer;

    static final TestEvents.Table ITEMS = new TestEvents.Table("shop", "items")
            .column("id", "INT", "INT", false, true)
            .column("name", "VARCHAR", "VARCHAR(5)", false, false)
            .column("qty", "INT", "INT", false, false);

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(workDir);
        producer = new EventProducer(stack.kafka().bootstrapServers(), "poisonit-connector");
        Map<String, Object> props = RunningProcessor.properties(stack, PREFIX);
        props.put("cdc.processor.max-attempts", MAX_ATTEMPTS);
        props.put("cdc.processor.retry-backoff", "50ms");
        // The stop policy (the default) is ErrorPolicyIT's; here every table dead-letters.
        props.put("cdc.processor.error-policy", "dead-letter");
        processor = RunningProcessor.start(props);
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

    @Test
    void poisonRecordsAreRetriedThenDeadLetteredAndThePartitionKeepsFlowing() throws Exception {
        String topic = ITEMS.topic(PREFIX);
        // The table exists before the poison arrives: created from the first event.
        producer.sendTransaction(List.of(EventProducer.event(topic, 0, ITEMS.create("binlog.000001", 100, 1, 1, row("id", 1, "name", "ok", "qty", 1)))));
        RunningProcessor.await(TIMEOUT, "first row", () -> processor.count(ProcessorMetrics.APPLIED) >= 1);

        List<Out> batch = List.of(
                EventProducer.event(topic, 0, ITEMS.create("binlog.000001", 200, 1, 1, row("id", 2, "name", "much too long", "qty", 2))),
                EventProducer.event(topic, 0, ITEMS.create("binlog.000001", 300, 1, 1, row("id", 3, "name", "fine", "qty", 3))),
                EventProducer.event(topic, 0, ITEMS.create("binlog.000001", 400, 1, 1, row("id", 4, "name", null, "qty", 4))),
                EventProducer.raw(topic, 0, "{\"id\":5}", "{\"v\":99,\"op\":\"c\",\"source\":{\"db\":\"shop\",\"table\":\"items\"}}"),
                EventProducer.event(topic, 0, ITEMS.update("binlog.000001", 600, 1, 1, row("id", 1, "name", "ok", "qty", 1),
                        row("id", 1, "name", "upd", "qty", 10))),
                EventProducer.event(topic, 0, ITEMS.create("binlog.000001", 700, 1, 1, row("id", 6, "name", "last", "qty", 6))));
        List<RecordMetadata> sent = producer.sendTransaction(batch);

        RunningProcessor.await(TIMEOUT, "three dead letters and the rest applied",
                () -> processor.count(ProcessorMetrics.DEAD_LETTERED) >= 3 && processor.count(ProcessorMetrics.APPLIED) >= 4);

        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, qty FROM items ORDER BY id")) {
            Map<Integer, String> rows = new LinkedHashMap<>();
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2) + "/" + rs.getInt(3));
            }
            assertEquals(Map.of(1, "upd/10", 3, "fine/3", 6, "last/6"), rows);
        }
        assertEquals(3, processor.count(ProcessorMetrics.DEAD_LETTERED));
        assertEquals(3 * (MAX_ATTEMPTS - 1), processor.count(ProcessorMetrics.RETRIES, "reason", "data"));
        assertEquals(0, processor.count(ProcessorMetrics.RETRIES, "reason", "transient"));
        assertEquals(3, processor.count(ProcessorMetrics.APPLIED, "op", "c"));
        assertEquals(1, processor.count(ProcessorMetrics.APPLIED, "op", "u"));

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(PREFIX + ".dlq", 3);
        assertEquals(3, dead.size());
        int[] poisonIndexes = {0, 2, 3};
        String[] expectedMessages = {"too long", "cannot be null", "unsupported event format version v=99"};
        for (int i = 0; i < 3; i++) {
            ConsumerRecord<byte[], byte[]> d = dead.get(i);
            Out original = batch.get(poisonIndexes[i]);
            assertArrayEquals(original.key(), d.key());
            assertArrayEquals(original.value(), d.value());
            assertEquals(topic, header(d, DeadLetterPublisher.TOPIC));
            assertEquals("0", header(d, DeadLetterPublisher.PARTITION));
            assertEquals(Long.toString(sent.get(poisonIndexes[i]).offset()), header(d, DeadLetterPublisher.OFFSET));
            assertEquals(Integer.toString(MAX_ATTEMPTS), header(d, DeadLetterPublisher.ATTEMPTS));
            assertTrue(header(d, DeadLetterPublisher.ERROR_MESSAGE).toLowerCase().contains(expectedMessages[i].toLowerCase()),
                    header(d, DeadLetterPublisher.ERROR_MESSAGE));
            assertNotNull(header(d, DeadLetterPublisher.ERROR_CLASS));
            assertEquals(original.position(), header(d, "cdc.position"));
            assertEquals("it", header(d, "cdc.connector"));
        }
        assertTrue(header(dead.get(2), DeadLetterPublisher.ERROR_CLASS).endsWith("PoisonEventException"));

        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT kafka_offset, source_table, status, attempts FROM cdc_dead_letter ORDER BY kafka_offset")) {
            for (int i = 0; i < 3; i++) {
                assertTrue(rs.next());
                assertEquals(sent.get(poisonIndexes[i]).offset(), rs.getLong(1));
                assertEquals("shop.items", rs.getString(2));
                assertEquals("pending", rs.getString(3));
                assertEquals(MAX_ATTEMPTS, rs.getInt(4));
            }
            assertTrue(!rs.next(), "no other dead letter");
        }
        String health = processor.get("/health").body();
        assertTrue(health.contains("\"divergedTables\":{\"shop.items\":3}"), health);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poisonit-dlq-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && records.size() < expected) {
                c.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // Nothing beyond the expected ones arrives.
            c.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        records.sort((a, b) -> Long.compare(Long.parseLong(header(a, DeadLetterPublisher.OFFSET)), Long.parseLong(header(b, DeadLetterPublisher.OFFSET))));
        return records;
    }
}
