package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cdc.localstack.LocalStack;
import dev.cdc.processor.EventProducer.Out;
import dev.cdc.processor.deadletter.StoppedPartitions;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the target database goes down while changes keep arriving. The processor retries with backoff,
 * dead-letters nothing, and once the database is back every change is applied.
 */
class TargetDownIT {

    private static final String PREFIX = "downit";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static RunningProcessor processor;
    static EventProducer producer;

    static final TestEvents.Table ACCOUNTS = new TestEvents.Table("bank", "accounts")
            .column("id", "BIGINT", "BIGINT", false, true)
            .column("owner", "VARCHAR", "VARCHAR(40)", false, false)
            .column("balance", "DECIMAL", "DECIMAL(12,2)", false, false);

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(workDir);
        producer = new EventProducer(stack.kafka().bootstrapServers(), "downit-connector");
        Map<String, Object> props = RunningProcessor.properties(stack, PREFIX);
        props.put("cdc.processor.retry-backoff-max", "1s");
        props.put("datasources.default.connection-timeout", 2000);
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
    void targetDownIsRetriedWithoutDeadLettersAndNothingIsLost() throws Exception {
        String topic = ACCOUNTS.topic(PREFIX);
        Map<Long, String> expected = new TreeMap<>();
        List<Out> first = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            first.add(EventProducer.event(topic, null, ACCOUNTS.create("binlog.000001", 100 * id, 1, 1, row("id", id, "owner", "o" + id, "balance", id + ".00"))));
            expected.put(id, "o" + id + "/" + id + ".00");
        }
        producer.sendTransaction(first);
        RunningProcessor.await(TIMEOUT, "first batch applied", () -> processor.count(ProcessorMetrics.APPLIED) >= 10);
        assertEquals(expected, rows());

        stack.target().stop();
        long pos = 10_000;
        for (int tx = 0; tx < 5; tx++) {
            List<Out> records = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long id = 11 + tx * 4 + i;
                pos += 10;
                records.add(EventProducer.event(topic, null, ACCOUNTS.create("binlog.000001", pos, 1, 1, row("id", id, "owner", "n" + id, "balance", "1.50"))));
                expected.put(id, "n" + id + "/1.50");
            }
            long updated = tx + 1;
            pos += 10;
            records.add(EventProducer.event(topic, null, ACCOUNTS.update("binlog.000001", pos, 1, 1,
                    row("id", updated, "owner", "o" + updated, "balance", updated + ".00"), row("id", updated, "owner", "o" + updated, "balance", "99.99"))));
            expected.put(updated, "o" + updated + "/99.99");
            producer.sendTransaction(records);
        }
        pos += 10;
        producer.sendTransaction(List.of(EventProducer.event(topic, null, ACCOUNTS.delete("binlog.000001", pos, 1, 1,
                row("id", 10L, "owner", "o10", "balance", "10.00")))));
        expected.remove(10L);

        RunningProcessor.await(TIMEOUT, "transient retries while the target is down",
                () -> processor.count(ProcessorMetrics.RETRIES, "reason", "transient") >= 3);
        Thread.sleep(2000);
        assertEquals(10, processor.count(ProcessorMetrics.APPLIED));
        assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));
        // An unreachable target is no data error: under the stop policy (the default) no partition counts as stopped.
        assertEquals(0.0, processor.gauge(StoppedPartitions.STOPPED));

        stack.target().restart();
        RunningProcessor.await(TIMEOUT, "all changes applied after the restart", () -> processor.count(ProcessorMetrics.APPLIED) >= 10 + 26);
        assertEquals(expected, rows());
        assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));
        assertEquals(0, processor.count(ProcessorMetrics.RETRIES, "reason", "data"));
        assertEquals(0, processor.count(ProcessorMetrics.DUPLICATES_SKIPPED));
        assertEquals(0, dlqRecords());
        assertEquals(0.0, processor.gauge(StoppedPartitions.STOPPED));
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM cdc_dead_letter")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing dead-lettered");
        }
    }

    private static Map<Long, String> rows() throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, owner, CAST(balance AS CHAR) FROM accounts")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2) + "/" + rs.getString(3));
            }
        }
        return rows;
    }

    /** Records in the DLQ topic (0 when it was never created). */
    private static long dlqRecords() throws Exception {
        String dlq = PREFIX + ".dlq";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(dlq)) {
                return 0;
            }
            var partitions = admin.describeTopics(List.of(dlq)).allTopicNames().get().get(dlq).partitions();
            Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
            partitions.forEach(p -> specs.put(new TopicPartition(dlq, p.partition()), OffsetSpec.latest()));
            long total = 0;
            for (var info : admin.listOffsets(specs).all().get().values()) {
                total += info.offset();
            }
            assertFalse(total < 0);
            return total;
        }
    }

}
