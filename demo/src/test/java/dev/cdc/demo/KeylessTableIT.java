package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table without a primary key, its topic created with 3 partitions before the connector starts, under a concurrent
 * workload of inserts, updates and deletes that touch rows which differ only in case, trailing spaces, a FLOAT's last
 * digits, JSON or binary values, and rows that are exact duplicates. The connector keys all of the table's records with
 * the table, so they stay in order on one partition; the processor finds each updated or deleted row by its full
 * before-image with exact comparisons and changes exactly one. At the end the target equals the source as a multiset
 * of rows, and nothing was dead-lettered.
 */
class KeylessTableIT {

    private static final String PREFIX = "keyless";
    private static final String TOPIC = PREFIX + ".shop.ledger";
    private static final int WRITERS = 4;
    private static final int OPERATIONS_PER_WRITER = 250;

    private static final String[] ACCOUNTS = {"abc", "ABC", "Abc", "x", "x ", "é", "e"};
    private static final String[] FLOATS = {"30.12346", "30.12347", "0.1", "-1.5e-7", "NULL"};
    private static final String[] DOUBLES = {"0.1", "0.30000000000000004", "1e300", "NULL"};
    private static final String[] DOCS = {"'{\"a\": 1}'", "'{\"a\": \"1\"}'", "'[1, 2]'", "NULL"};
    private static final String[] BLOBS = {"X'00'", "X'0000'", "X'00FF'", "''", "NULL"};

    @Test
    void keylessTableEndsEqualToItsSource(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work); Connection source = stack.source().rootConnection()) {
            try (Statement s = source.createStatement()) {
                s.execute("CREATE DATABASE shop");
                s.execute("CREATE TABLE shop.ledger (account VARCHAR(20) NOT NULL COLLATE utf8mb4_general_ci, amount DECIMAL(10,2) NOT NULL,"
                        + " rate FLOAT NULL, ratio DOUBLE NULL, doc JSON NULL, payload BLOB NULL, note VARCHAR(40) NULL)"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
                // Rows before the connector starts (snapshot), duplicates included. Their FLOAT has few digits: the snapshot
                // reads FLOAT values rounded to 6 digits (30.12346 arrives as 30.1235), so a later change of such a row
                // would rightly find no equal row in the target.
                for (int i = 0; i < 3; i++) {
                    s.execute("INSERT INTO shop.ledger VALUES ('abc', 1.00, 1.5, 0.1, '{\"a\": 1}', X'00', 'snap'),"
                            + " ('ABC', 1.00, 1.5, 0.1, '{\"a\": 1}', X'00', 'snap')");
                }
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }
            try (Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), PREFIX);
                 Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
                AppProcess processor = pipeline.startProcessor();
                pipeline.startConnector("only");
                awaitEqual(source, target);

                AtomicInteger changed = new AtomicInteger();
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    long seed = 7919L * (w + 1);
                    done.add(writers.submit(() -> {
                        workload(stack, new Random(seed), changed);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                writers.shutdown();
                assertTrue(changed.get() > WRITERS * OPERATIONS_PER_WRITER / 2, "the workload changed only " + changed.get() + " rows");

                awaitEqual(source, target);
                assertEquals(0, count(processor, pipeline, "cdc_processor_dead_lettered_total"), "records were dead-lettered");
                Map<Integer, Integer> perPartition = recordsPerPartition(stack);
                assertEquals(1, perPartition.size(), "the keyless table's records are spread over partitions " + perPartition);
            }
        }
    }

    private static void awaitEqual(Connection source, Connection target) throws SQLException {
        // Generous: both JVMs start and the snapshot runs first, on a machine shared with other builds.
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", List.of("ledger"), Duration.ofSeconds(300));
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
    }

    /** Inserts, updates and deletes single rows chosen by values that other rows share but for case, spaces or digits. */
    private static void workload(LocalStack stack, Random random, AtomicInteger changed) throws SQLException {
        try (Connection c = stack.source().rootConnection()) {
            for (int i = 0; i < OPERATIONS_PER_WRITER; i++) {
                String account = pick(random, ACCOUNTS);
                int op = random.nextInt(4);
                String sql;
                if (op <= 1) {
                    sql = "INSERT INTO shop.ledger VALUES ('" + account + "', " + random.nextInt(3) + ", " + pick(random, FLOATS) + ", "
                            + pick(random, DOUBLES) + ", " + pick(random, DOCS) + ", " + pick(random, BLOBS) + ", 'w" + i + "')";
                } else if (op == 2) {
                    // BINARY: the source picks a row by its exact account, the target must find that same row.
                    sql = "UPDATE shop.ledger SET amount = amount + 1, rate = " + pick(random, FLOATS) + ", doc = " + pick(random, DOCS)
                            + ", note = 'u" + i + "' WHERE account = BINARY '" + account + "' LIMIT 1";
                } else {
                    sql = "DELETE FROM shop.ledger WHERE account = BINARY '" + account + "' LIMIT 1";
                }
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    changed.addAndGet(ps.executeUpdate());
                } catch (SQLException e) {
                    // Writers scanning the same keyless table can deadlock; the source rolls that statement back.
                    if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                        throw e;
                    }
                }
            }
        }
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static double count(AppProcess processor, Pipeline pipeline, String metric) {
        String text = pipeline.get(processor, "/prometheus");
        double total = 0;
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith(metric)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return total;
    }

    private static Map<Integer, Integer> recordsPerPartition(LocalStack stack) {
        Map<Integer, Integer> counts = new HashMap<>();
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "keyless-check",
                "isolation.level", "read_committed", "enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    // Snapshot markers and schema changes go to every partition by design; row changes are what must stay together.
                    String value = r.value() == null ? null : new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
                    if (value != null && !value.contains("\"op\":\"m\"") && !value.contains("\"op\":\"s\"")) {
                        counts.merge(r.partition(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}
