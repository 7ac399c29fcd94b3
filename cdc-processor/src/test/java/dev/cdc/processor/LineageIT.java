package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import dev.cdc.processor.EventProducer.Out;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios where the processor must neither skip what it has not applied nor apply twice what it has
 * (docs/design.md, "Apply once with lineage"): changes of a newer lineage generation whose binlog coordinates repeat
 * (after a binlog reset and `offsets reset`), a topic deleted and recreated while the processor runs, and a target
 * restored from a backup that is older than the committed Kafka offsets.
 */
class LineageIT {

    private static final String PREFIX = "lineageit";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static RunningProcessor processor;
    static EventProducer producer;
    static Admin admin;

    static TestEvents.Table items(String table) {
        return new TestEvents.Table("lineage", table)
                .column("id", "INT", "INT", false, true)
                .column("name", "VARCHAR", "VARCHAR(40)", true, false);
    }

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(workDir);
        producer = new EventProducer(stack.kafka().bootstrapServers(), "lineageit-connector");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
        processor = RunningProcessor.start(RunningProcessor.properties(stack, PREFIX));
    }

    @AfterAll
    static void stopStack() {
        if (processor != null) {
            processor.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void changesOfANewGenerationAreAppliedEvenWhereTheirBinlogCoordinatesRepeat() throws Exception {
        TestEvents.Table t = items("reset").version1();
        String topic = t.topic(PREFIX);
        // Generation 0, written by a connector of format version 1, far into the old binlog history.
        send(topic, List.of(t.create("binlog.000007", 90_000, 1, 0, row("id", 1, "name", "one")),
                t.create("binlog.000007", 90_500, 1, 0, row("id", 2, "name", "two"))));
        awaitRows("reset", Map.of(1, "one", 2, "two"));
        double changesBefore = processor.count(ProcessorMetrics.LINEAGE_CHANGES);

        // The binlog was reset and `offsets reset` started generation 1: its coordinates start again near the beginning.
        t.generation(1, "mariadb:other:3306:2");
        send(topic, List.of(t.update("binlog.000001", 400, 1, 0, row("id", 1, "name", "one"), row("id", 1, "name", "one after reset")),
                t.create("binlog.000001", 500, 1, 0, row("id", 3, "name", "three"))));
        awaitRows("reset", Map.of(1, "one after reset", 2, "two", 3, "three"));
        assertEquals(changesBefore + 1, processor.count(ProcessorMetrics.LINEAGE_CHANGES), "the generation change is counted once");

        // A late copy of a generation-0 change (a re-send from before the reset) is a duplicate, not a new change.
        double duplicates = processor.count(ProcessorMetrics.DUPLICATES_SKIPPED);
        TestEvents.Table old = items("reset").version1();
        send(topic, List.of(old.update("binlog.000007", 90_500, 1, 0, row("id", 2, "name", "two"), row("id", 2, "name", "stale"))));
        RunningProcessor.await(TIMEOUT, "the stale copy to be skipped", () -> processor.count(ProcessorMetrics.DUPLICATES_SKIPPED) > duplicates);
        assertEquals(Map.of(1, "one after reset", 2, "two", 3, "three"), rows("reset"));
    }

    @Test
    void aReSnapshotRemovesWhatItDoesNotHaveAndSupersedesOlderChangesFromALaggingPartition() throws Exception {
        TestEvents.Table t = items("resnap");
        TestEvents.Table empty = items("resnap_empty");
        String topic = t.topic(PREFIX);
        String emptyTopic = empty.topic(PREFIX);
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(emptyTopic, 2, (short) 1))).all().get();
        double started = processor.count(ProcessorMetrics.SNAPSHOTS_STARTED);
        // Generation 0: the initial snapshot (markers on both partitions, then the rows), then a streamed insert.
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, t.snapshotStarted("binlog.000001", 100)),
                EventProducer.event(topic, 1, t.snapshotStarted("binlog.000001", 100)),
                EventProducer.event(topic, 0, t.snapshotRead("binlog.000001", 100, row("id", 1, "name", "a"))),
                EventProducer.event(topic, 1, t.snapshotRead("binlog.000001", 100, row("id", 2, "name", "b"))),
                EventProducer.event(topic, 0, t.snapshotRead("binlog.000001", 100, row("id", 3, "name", "c"))),
                EventProducer.event(topic, 1, t.snapshotRead("binlog.000001", 100, row("id", 4, "name", "d"))),
                EventProducer.event(topic, 0, t.create("binlog.000001", 200, 1, 0, row("id", 5, "name", "e"))),
                EventProducer.event(emptyTopic, 0, empty.create("binlog.000001", 210, 1, 0, row("id", 1, "name", "gone later")))));
        awaitRows("resnap", Map.of(1, "a", 2, "b", 3, "c", 4, "d", 5, "e"));
        awaitRows("resnap_empty", Map.of(1, "gone later"));

        // While the connector was stopped, rows 3, 4 and 5 were deleted at the source and the table resnap_empty was
        // emptied; `offsets reset` starts generation 1 with a new snapshot. Partition 0 delivers it first.
        double superseded = processor.count(ProcessorMetrics.SUPERSEDED_SKIPPED);
        t.generation(1, "mariadb:it:3306:1");
        empty.generation(1, "mariadb:it:3306:1");
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, t.snapshotStarted("binlog.000001", 50)),
                EventProducer.event(topic, 0, t.snapshotRead("binlog.000001", 50, row("id", 1, "name", "a"))),
                EventProducer.event(topic, 0, t.snapshotRead("binlog.000001", 50, row("id", 2, "name", "b2"))),
                EventProducer.event(emptyTopic, 0, empty.snapshotStarted("binlog.000001", 50)),
                EventProducer.event(emptyTopic, 1, empty.snapshotStarted("binlog.000001", 50))));
        awaitRows("resnap", Map.of(1, "a", 2, "b2"));
        awaitRows("resnap_empty", Map.of());
        // Partition 1 lags: a generation-0 change written before the reset comes only now, then its copy of the marker,
        // then a change streamed after the new snapshot. The old change must not bring row 4 back.
        TestEvents.Table old = items("resnap");
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 1, old.update("binlog.000001", 300, 1, 0, row("id", 4, "name", "d"), row("id", 4, "name", "d2"))),
                EventProducer.event(topic, 1, t.snapshotStarted("binlog.000001", 50)),
                EventProducer.event(topic, 1, t.create("binlog.000001", 60, 1, 0, row("id", 7, "name", "g")))));
        awaitRows("resnap", Map.of(1, "a", 2, "b2", 7, "g"));
        assertEquals(superseded + 1, processor.count(ProcessorMetrics.SUPERSEDED_SKIPPED), "the lagging old change is superseded");
        assertEquals(started + 3, processor.count(ProcessorMetrics.SNAPSHOTS_STARTED),
                "each snapshot of a table starts once, whatever the number of partitions and markers");
    }

    @Test
    void aTopicDeletedAndRecreatedWhileTheProcessorRunsIsReadFromItsBeginning() throws Exception {
        TestEvents.Table t = items("recreated");
        String topic = t.topic(PREFIX);
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        List<Out> first = new ArrayList<>();
        for (int id = 1; id <= 5; id++) {
            first.add(EventProducer.event(topic, 0, t.create("binlog.000002", 1000L * id, 1, 0, row("id", id, "name", "n" + id))));
        }
        producer.sendTransaction(first);
        awaitRows("recreated", Map.of(1, "n1", 2, "n2", 3, "n3", 4, "n4", 5, "n5"));

        admin.deleteTopics(List.of(topic)).all().get();
        RunningProcessor.await(TIMEOUT, "the topic to be gone", () -> !topicNames().contains(topic));
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        // The new topic's offsets start at 0 again; before it knew topic ids, the processor skipped offsets 0..4 here.
        List<Out> second = new ArrayList<>();
        for (int id = 6; id <= 8; id++) {
            second.add(EventProducer.event(topic, 0, t.create("binlog.000002", 1000L * id, 1, 0, row("id", id, "name", "n" + id))));
        }
        producer.sendTransaction(second);
        Map<Integer, String> expected = new TreeMap<>();
        for (int id = 1; id <= 8; id++) {
            expected.put(id, "n" + id);
        }
        awaitRows("recreated", expected);
        assertTrue(processor.count(ProcessorMetrics.TOPICS_RECREATED) >= 1, "the recreated topic is counted");
    }

    @Test
    void aTargetRestoredFromABackupIsCaughtUpFromKafka() throws Exception {
        TestEvents.Table t = items("restored");
        String topic = t.topic(PREFIX);
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        List<Out> events = new ArrayList<>();
        for (int id = 1; id <= 6; id++) {
            events.add(EventProducer.event(topic, 0, t.create("binlog.000003", 1000L * id, 1, 0, row("id", id, "name", "r" + id))));
        }
        producer.sendTransaction(events);
        Map<Integer, String> all = new TreeMap<>();
        for (int id = 1; id <= 6; id++) {
            all.put(id, "r" + id);
        }
        awaitRows("restored", all);
        processor.close();
        processor = null;

        // The backup was taken after the third record: rows 4-6 and the watermark's advance past them are not in it,
        // while the consumer group's committed offset (in Kafka) is already past record 6.
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM restored WHERE id > 3");
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdc_apply_watermark SET next_offset = 3, pos = 3000 WHERE topic = ?")) {
                ps.setString(1, topic);
                assertEquals(1, ps.executeUpdate());
            }
        }
        processor = RunningProcessor.start(RunningProcessor.properties(stack, PREFIX));
        awaitRows("restored", all);
    }

    private static void send(String topic, List<com.fasterxml.jackson.databind.node.ObjectNode> events) throws Exception {
        List<Out> out = new ArrayList<>();
        for (var e : events) {
            out.add(EventProducer.event(topic, 0, e));
        }
        producer.sendTransaction(out);
    }

    private static Set<String> topicNames() {
        try {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitRows(String table, Map<Integer, String> expected) throws InterruptedException {
        RunningProcessor.await(TIMEOUT, table + " to hold " + expected, () -> expected.equals(rowsQuietly(table)));
    }

    private static Map<Integer, String> rowsQuietly(String table) {
        try {
            return rows(table);
        } catch (SQLException e) {
            return Map.of();
        }
    }

    private static Map<Integer, String> rows(String table) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM `" + table + "`")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }
}
