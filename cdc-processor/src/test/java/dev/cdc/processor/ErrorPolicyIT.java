package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalMariaDb;
import dev.cdc.localstack.LocalStack;
import dev.cdc.offsets.cli.DeadLettersCommand;
import dev.cdc.processor.deadletter.PendingDeadLetters;
import dev.cdc.processor.deadletter.RepairRequestExecutor;
import dev.cdc.processor.deadletter.StoppedPartitions;
import dev.cdc.processor.dlq.DeadLetterPublisher;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error policies against real servers, and their repair with the operator command ({@code dead-letters}, run
 * in-process against the target database): a value too long for its target column is the poison.
 * <ul>
 *   <li>stop (the default): the partition stops at the record, /health is DOWN naming the table, the position and the
 *       error; the other partition of the topic and other tables keep flowing; once the column is widened the processor
 *       resumes by itself and nothing was dead-lettered;</li>
 *   <li>dead-letter ({@code shop.notes}): the record and a later change of its key are dead-lettered, the table is
 *       reported diverged; after the fix {@code replay} makes the target equal to the source, and a second replay
 *       changes nothing;</li>
 *   <li>skip and dead-letter of a stopped partition's record by command, and bad input: one line, exit code, nothing
 *       changed.</li>
 * </ul>
 */
class ErrorPolicyIT {

    private static final String PREFIX = "policyit";
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final String TOO_LONG = "much too long";

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static RunningProcessor processor;
    static EventProducer producer;
    static Admin admin;

    static TestEvents.Table table(String name) {
        return new TestEvents.Table("shop", name)
                .column("id", "INT", "INT", false, true)
                .column("name", "VARCHAR", "VARCHAR(5)", true, false);
    }

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(workDir);
        producer = new EventProducer(stack.kafka().bootstrapServers(), "policyit-connector");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
        Map<String, Object> props = RunningProcessor.properties(stack, PREFIX);
        props.put("cdc.processor.max-attempts", MAX_ATTEMPTS);
        props.put("cdc.processor.retry-backoff", "50ms");
        props.put("cdc.processor.retry-backoff-max", "1s");
        props.put("cdc.processor.request-poll-interval", "200ms");
        props.put("cdc.processor.error-policy-tables", List.of("shop.notes=dead-letter"));
        processor = RunningProcessor.start(props);
    }

    @AfterAll
    static void stopStack() throws Exception {
        Files.writeString(Path.of("target", "dead-letters-sample.txt"), TRANSCRIPT.toString(), StandardCharsets.UTF_8);
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
    void stopPolicyStopsThePartitionUntilTheCauseIsFixedWhileOthersFlow() throws Exception {
        TestEvents.Table items = table("items");
        TestEvents.Table other = table("other");
        String topic = items.topic(PREFIX);
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(other.topic(PREFIX), 1, (short) 1))).all().get();
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, items.create("binlog.000001", 100, 1, 0, row("id", 1, "name", "ok"))),
                EventProducer.event(topic, 1, items.create("binlog.000001", 110, 1, 0, row("id", 100, "name", "ok"))),
                EventProducer.event(other.topic(PREFIX), 0, other.create("binlog.000001", 120, 1, 0, row("id", 1, "name", "ok")))));
        awaitRows("items", Map.of(1, "ok", 100, "ok"));

        double deadLettered = processor.count(ProcessorMetrics.DEAD_LETTERED);
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, items.create("binlog.000001", 200, 1, 0, row("id", 2, "name", TOO_LONG))),
                EventProducer.event(topic, 0, items.create("binlog.000001", 300, 1, 0, row("id", 3, "name", "fine")))));
        String health = awaitHealth(503, "shop.items");
        TRANSCRIPT.append("GET /health\n").append(health).append("\n\n");
        assertTrue(health.contains("\"status\":\"DOWN\"") && health.contains("stoppedPartitions") && health.contains(topic + "-0")
                && health.contains("binlog.000001:200:1:0") && health.contains("too long"), health);
        assertEquals(1.0, processor.gauge(StoppedPartitions.STOPPED));

        // The other partition of the topic and the other table go on while partition 0 is stopped.
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 1, items.create("binlog.000001", 400, 1, 0, row("id", 101, "name", "p1"))),
                EventProducer.event(other.topic(PREFIX), 0, other.create("binlog.000001", 410, 1, 0, row("id", 2, "name", "two")))));
        awaitRows("other", Map.of(1, "ok", 2, "two"));
        awaitRows("items", Map.of(1, "ok", 100, "ok", 101, "p1"));
        Cli stoppedList = cli("stopped", "--json");
        assertEquals(0, stoppedList.code(), stoppedList.err());
        assertTrue(stoppedList.out().contains("\"table\" : \"shop.items\"") && stoppedList.out().contains("\"offset\" : "), stoppedList.out());
        Thread.sleep(2_000);
        assertEquals(Map.of(1, "ok", 100, "ok", 101, "p1"), rows("items"), "the record after the poison waits behind it");

        // The cause is fixed: the processor resumes by itself, in order.
        sql("ALTER TABLE items MODIFY name VARCHAR(50) NULL");
        awaitRows("items", Map.of(1, "ok", 2, TOO_LONG, 3, "fine", 100, "ok", 101, "p1"));
        awaitHealth(200, "\"status\":\"UP\"");
        assertEquals(0.0, processor.gauge(StoppedPartitions.STOPPED));
        assertEquals(deadLettered, processor.count(ProcessorMetrics.DEAD_LETTERED), "nothing dead-lettered");
        assertEquals(0, count("SELECT COUNT(*) FROM cdc_dead_letter WHERE source_table = 'shop.items'"));
        assertEquals(0, count("SELECT COUNT(*) FROM cdc_stopped_partition"));
    }

    @Test
    void deadLetterPolicyReportsTheTableDivergedUntilReplayAppliesItOnce() throws Exception {
        TestEvents.Table notes = table("notes");
        String topic = notes.topic(PREFIX);
        producer.sendTransaction(List.of(EventProducer.event(topic, 0, notes.create("binlog.000002", 100, 1, 0, row("id", 1, "name", "ok")))));
        awaitRows("notes", Map.of(1, "ok"));

        double deadLettered = processor.count(ProcessorMetrics.DEAD_LETTERED);
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, notes.create("binlog.000002", 200, 1, 0, row("id", 2, "name", TOO_LONG))),
                // A later change of the same key waits behind the dead letter: applied before it, a replay would undo it.
                EventProducer.event(topic, 0, notes.update("binlog.000002", 300, 1, 0, row("id", 2, "name", TOO_LONG),
                        row("id", 2, "name", "short"))),
                EventProducer.event(topic, 0, notes.create("binlog.000002", 400, 1, 0, row("id", 3, "name", "fine"))),
                EventProducer.event(topic, 0, notes.update("binlog.000002", 500, 1, 0, row("id", 1, "name", "ok"), row("id", 1, "name", "ok2")))));
        RunningProcessor.await(TIMEOUT, "two dead letters", () -> processor.count(ProcessorMetrics.DEAD_LETTERED) >= deadLettered + 2);
        awaitRows("notes", Map.of(1, "ok2", 3, "fine"));

        List<ConsumerRecord<byte[], byte[]>> dlq = readDlq(topic);
        assertEquals(1, dlq.size(), "the poison record is in the dead-letter topic");
        assertTrue(header(dlq.get(0), DeadLetterPublisher.ERROR_MESSAGE).contains("too long"));
        String health = awaitHealth(200, "divergedTables");
        TRANSCRIPT.append("GET /health\n").append(health).append("\n\n");
        assertTrue(health.contains("\"shop.notes\":2"), health);
        assertTrue(processor.gauge(PendingDeadLetters.DIVERGED_TABLES) >= 1.0);

        Cli list = cli("list", "--table", "shop.notes");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("ID  TABLE") && list.out().contains("policyit.shop.notes-0@") && list.out().contains("pending"), list.out());
        long first = firstId("shop.notes");
        Cli show = cli("show", Long.toString(first));
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("too long") && show.out().contains("binlog.000002:200:1:0") && show.out().contains(TOO_LONG), show.out());

        // Replay before the fix: the record fails again, stays pending, and so does the later change of its key.
        Cli early = cli("replay", "--table", "shop.notes");
        assertEquals(1, early.code(), early.out() + early.err());
        assertTrue(early.out().contains("replayed 0, superseded 0, failed 1, left waiting behind a failed one 1"), early.out());
        assertEquals(Map.of(1, "ok2", 3, "fine"), rows("notes"));

        sql("ALTER TABLE notes MODIFY name VARCHAR(50) NULL");
        Cli replay = cli("replay", "--table", "shop.notes");
        assertEquals(0, replay.code(), replay.out() + replay.err());
        assertTrue(replay.out().contains("replayed 2, superseded 0, failed 0"), replay.out());
        assertEquals(Map.of(1, "ok2", 2, "short", 3, "fine"), rows("notes"), "target equals source");
        awaitHealthWithout("divergedTables");
        assertEquals(2.0, processor.count(RepairRequestExecutor.REPLAYED));

        // A second replay changes nothing: from the command, and as a request the processor executes.
        Cli again = cli("replay", "--table", "shop.notes");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("Nothing to replay (shop.notes): no dead letter is waiting for replay"), again.out());
        Cli byId = cli("replay", "--id", Long.toString(first), "--json");
        assertEquals(0, byId.code(), byId.err());
        assertTrue(byId.out().contains("it was replayed at"), byId.out());
        long request = insertRequest("replay", "shop.notes");
        RunningProcessor.await(TIMEOUT, "the direct request", () -> count("SELECT COUNT(*) FROM cdc_repair_request WHERE id = " + request
                + " AND done_at IS NOT NULL") == 1);
        assertEquals("replayed 0, superseded 0, failed 0", text("SELECT result FROM cdc_repair_request WHERE id = " + request));
        assertEquals(Map.of(1, "ok2", 2, "short", 3, "fine"), rows("notes"));
        assertEquals(2.0, processor.count(RepairRequestExecutor.REPLAYED));
        assertEquals(2, count("SELECT COUNT(*) FROM cdc_dead_letter WHERE source_table = 'shop.notes' AND status = 'replayed'"));
    }

    @Test
    void aStoppedPartitionsRecordIsSkippedOrDeadLetteredByCommandAndBadInputChangesNothing() throws Exception {
        TestEvents.Table skipped = table("skipped");
        String topic = skipped.topic(PREFIX);
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, skipped.create("binlog.000003", 100, 1, 0, row("id", 1, "name", "ok"))),
                EventProducer.event(topic, 0, skipped.create("binlog.000003", 200, 1, 0, row("id", 2, "name", TOO_LONG))),
                EventProducer.event(topic, 0, skipped.create("binlog.000003", 300, 1, 0, row("id", 3, "name", "fine")))));
        awaitHealth(503, "shop.skipped");
        Cli stoppedNow = cli("stopped");
        assertTrue(stoppedNow.out().startsWith("TABLE ") && stoppedNow.out().contains("KAFKA RECORD") && stoppedNow.out().contains("shop.skipped"), stoppedNow.out());

        long requests = count("SELECT COUNT(*) FROM cdc_repair_request");
        long letters = count("SELECT COUNT(*) FROM cdc_dead_letter");
        int port = LocalMariaDb.freePort();
        List<Cli> bad = List.of(
                cli("skip", "--table", "shop.nosuch"),
                cli("skip", "--table", "nodot"),
                cli("show", "999999"),
                cli("replay", "--id", "999999"),
                cli("purge", "--table", "shop.nosuch"),
                cli("dead-letter", "--table", "shop.skipped", "--partition", "7"),
                cli("replay"),
                cliAt("jdbc:mysql://127.0.0.1:" + port + "/cdc_target", "list"),
                cliAt("jdbc:postgresql://127.0.0.1:" + port + "/cdc_target", "list"));
        int[] codes = {2, 2, 2, 2, 2, 2, 2, 3, 2};
        String[] says = {"dead-letters: Unknown table shop.nosuch", "dead-letters: Table 'nodot' is not <db>.<table>", "dead-letters: No dead letter #999999",
                "dead-letters: No dead letter #999999", "dead-letters: Unknown table shop.nosuch", "dead-letters: No partition of shop.skipped numbered 7 is stopped", "dead-letters: Error: Missing required",
                "dead-letters: Target database jdbc:mysql://127.0.0.1:" + port, "dead-letters: Target URL jdbc:postgresql"};
        for (int i = 0; i < bad.size(); i++) {
            Cli r = bad.get(i);
            assertEquals(codes[i], r.code(), i + ": " + r.err());
            assertTrue(r.err().startsWith(says[i]), i + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertEquals("", r.out());
        }
        assertEquals(requests, count("SELECT COUNT(*) FROM cdc_repair_request"), "nothing written");
        assertEquals(letters, count("SELECT COUNT(*) FROM cdc_dead_letter"));
        assertEquals(Map.of(1, "ok"), rows("skipped"));

        Cli skip = cli("skip", "--table", "shop.skipped");
        assertEquals(0, skip.code(), skip.out() + skip.err());
        assertTrue(skip.out().contains("(skip shop.skipped record policyit.shop.skipped-0@1 at binlog.000003:200:1:0"), skip.out());
        assertTrue(skip.out().endsWith(": skipped\n"), skip.out());
        awaitRows("skipped", Map.of(1, "ok", 3, "fine"));
        awaitHealth(200, "\"status\":\"UP\"");
        assertEquals(letters, count("SELECT COUNT(*) FROM cdc_dead_letter"), "a skip is no dead letter");

        // The next poison of the table is dead-lettered by command: the table is then diverged until purged.
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, skipped.create("binlog.000003", 400, 1, 0, row("id", 4, "name", TOO_LONG))),
                EventProducer.event(topic, 0, skipped.create("binlog.000003", 500, 1, 0, row("id", 5, "name", "five")))));
        awaitHealth(503, "shop.skipped");
        Cli dead = cli("dead-letter", "--table", "shop.skipped", "--json");
        assertEquals(0, dead.code(), dead.out() + dead.err());
        assertTrue(dead.out().contains("\"result\" : \"dead-lettered\""), dead.out());
        awaitRows("skipped", Map.of(1, "ok", 3, "fine", 5, "five"));
        assertEquals(1, count("SELECT COUNT(*) FROM cdc_dead_letter WHERE source_table = 'shop.skipped' AND status = 'pending'"));
        awaitHealth(200, "\"shop.skipped\":1");
        Cli purge = cli("purge", "--table", "shop.skipped");
        assertEquals(0, purge.code(), purge.out() + purge.err());
        assertTrue(purge.out().endsWith(": purged 1\n"), purge.out());
        awaitHealthWithout("shop.skipped");
        assertEquals(0, count("SELECT COUNT(*) FROM cdc_dead_letter WHERE source_table = 'shop.skipped'"));
    }

    record Cli(int code, String out, String err) {
    }

    /** The commands' real output, in run order, for the README (target/dead-letters-sample.txt). */
    static final StringBuilder TRANSCRIPT = new StringBuilder();

    static Cli cli(String... args) {
        return run(stack.targetDb().url(), args);
    }

    static Cli cliAt(String url, String... args) {
        List<String> shown = new ArrayList<>(List.of(args));
        shown.addAll(List.of("--target-url", url));
        Cli r = run(url, args);
        TRANSCRIPT.append("$ dead-letters ").append(String.join(" ", shown)).append('\n').append(r.out()).append(r.err())
                .append(r.code() == 0 ? "" : "(exit " + r.code() + ")\n").append('\n');
        return r;
    }

    private static Cli run(String url, String... args) {
        Cli r = execute(url, args);
        if (url.equals(stack.targetDb().url())) {
            TRANSCRIPT.append("$ dead-letters ").append(String.join(" ", args)).append('\n').append(r.out()).append(r.err())
                    .append(r.code() == 0 ? "" : "(exit " + r.code() + ")\n").append('\n');
        }
        return r;
    }

    private static Cli execute(String url, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--target-url", url, "--target-user", stack.targetDb().user(), "--target-password", stack.targetDb().password(),
                "--wait", "60"));
        if (args.length == 0 || List.of("list", "show", "stopped").contains(args[0])) {
            all.subList(all.size() - 2, all.size()).clear();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DeadLettersCommand.commandLine(Map.of(), new PrintWriter(out), new PrintWriter(err)).execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private static String awaitHealth(int status, String contains) throws Exception {
        String[] last = {""};
        RunningProcessor.await(TIMEOUT, "/health " + status + " with " + contains, () -> {
            try {
                HttpResponse<String> r = processor.get("/health");
                last[0] = r.statusCode() + " " + r.body();
                return r.statusCode() == status && r.body().contains(contains);
            } catch (Exception e) {
                return false;
            }
        });
        return last[0];
    }

    private static void awaitHealthWithout(String text) throws Exception {
        RunningProcessor.await(TIMEOUT, "/health without " + text, () -> {
            try {
                return !processor.get("/health").body().contains(text);
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void awaitRows(String table, Map<Integer, String> expected) throws Exception {
        RunningProcessor.await(TIMEOUT, table + " = " + expected, () -> {
            try {
                return rows(table).equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
    }

    static Map<Integer, String> rows(String table) throws Exception {
        Map<Integer, String> rows = new LinkedHashMap<>();
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static long count(String query) {
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String query) throws Exception {
        try (Connection c = RunningProcessor.target(stack); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long firstId(String table) {
        return count("SELECT MIN(id) FROM cdc_dead_letter WHERE source_table = '" + table + "'");
    }

    private static long insertRequest(String action, String table) throws Exception {
        try (Connection c = RunningProcessor.target(stack);
             PreparedStatement ps = c.prepareStatement("INSERT INTO cdc_repair_request (action, source_table, requested_by) VALUES (?, ?, 'it')",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, action);
            ps.setString(2, table);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDlq(String sourceTopic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "policyit-dlq-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            c.subscribe(List.of(PREFIX + ".dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && records.isEmpty()) {
                c.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            c.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        records.removeIf(r -> !sourceTopic.equals(header(r, DeadLetterPublisher.TOPIC)));
        return records;
    }
}
