package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.MySqlBinaries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two connector instances as separate OS processes (so kill -9 and SIGSTOP are real) on real databases and Kafka:
 * the failure behaviour of docs/design.md "Leadership and fencing". MariaDB is the source and the store in every
 * scenario (the kill -9 scenario three rounds, -Dfailover.rounds for more); the kill -9 scenario also runs, in two
 * rounds, with MySQL as the source (Debezium's MySQL connector resuming from MySQL GTIDs).
 */
class FailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "fo";
    private static final Duration TTL = Duration.ofSeconds(2);
    /** kill -9 rounds on the MariaDB source; README "Tests": -Dfailover.rounds=5 for the longer run. */
    private static final int ROUNDS = Integer.getInteger("failover.rounds", 3);

    @TempDir
    Path work;
    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;
    Connection store;

    private void start(DatabaseKind sourceKind) throws Exception {
        stack = LocalStack.start(work, sourceKind, DatabaseKind.MARIADB);
        stack.loadDemoSchema();
        pipeline = new Pipeline(stack, work.resolve("logs"), NAME).leaseTtl(TTL);
        source = stack.source().rootConnection();
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
        store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
    }

    @AfterEach
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        for (Connection c : new Connection[] {source, target, store}) {
            if (c != null) {
                c.close();
            }
        }
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Test 1: kill -9 of the active, {@link #ROUNDS} rounds alternating, under continuous changes: no loss, no double
     * apply. Three rounds kill each instance once and the first one again after it came back as the standby.
     */
    @Test
    void killNineRepeatedlyUnderLoadLosesNothingAndAppliesEachChangeOnce() throws Exception {
        start(DatabaseKind.MARIADB);
        killNineRounds(ROUNDS);
    }

    /** Test 1 with MySQL as the source, two rounds. */
    @Test
    void killNineTwiceOnAMySqlSourceLosesNothingAndAppliesEachChangeOnce() throws Exception {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        start(DatabaseKind.MYSQL);
        killNineRounds(2);
    }

    private void killNineRounds(int rounds) throws Exception {
        AppProcess processor = pipeline.startProcessor();
        AppProcess[] instances = {pipeline.startConnector("a"), pipeline.startConnector("b")};
        assertEqual(Duration.ofSeconds(300)); // the snapshot, after both JVMs started: minutes on a loaded machine

        Workload workload = new Workload(DriverManager.getConnection(stack.source().jdbcUrl("shop"), "root", ""), 1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Exception> workloadError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                while (running.get()) {
                    workload.run(20, 100);
                }
            } catch (Exception e) {
                workloadError.set(e);
            }
        }, "workload");
        writer.start();

        List<Long> epochs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String activeId = LeaseOwner.await(store, NAME, Duration.ofSeconds(30));
            long epoch = leaseEpoch();
            epochs.add(epoch);
            int activeIndex = activeId.equals("a") ? 0 : 1;
            AppProcess active = instances[activeIndex];
            AppProcess standby = instances[1 - activeIndex];
            assertTrue(active.awaitLog("events of epoch " + epoch + " published", Duration.ofSeconds(60)),
                    "round " + round + ": the active publishes before it is killed");
            int activations = count(standby.logText(), "is now ACTIVE");
            active.kill9();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(standby.logText(), "is now ACTIVE") == activations && System.nanoTime() < deadline) {
                AppProcess.sleep(50);
            }
            assertTrue(count(standby.logText(), "is now ACTIVE") > activations, "round " + round + ": the standby took over");
            instances[activeIndex] = pipeline.startConnector(activeId); // the killed instance comes back as the standby
        }
        running.set(false);
        writer.join();
        if (workloadError.get() != null) {
            throw workloadError.get();
        }
        assertEqual(Duration.ofSeconds(120));

        for (int i = 1; i < epochs.size(); i++) {
            assertTrue(epochs.get(i) > epochs.get(i - 1), "each failover bumps the epoch: " + epochs);
        }
        long applied = metric(processor, "cdc.processor.applied", "op:c") + metric(processor, "cdc.processor.applied", "op:u")
                + metric(processor, "cdc.processor.applied", "op:d");
        long skipped = metric(processor, "cdc.processor.duplicates.skipped", null);
        System.out.printf("killNine (%s source, %d rounds): %d source row changes (%d/%d/%d c/u/d), %d applied (%d/%d/%d), %d duplicates skipped,"
                        + " %d records in Kafka, epochs %s%n",
                stack.source().kind().displayName(), rounds, workload.rowChanges(), workload.inserts(), workload.updates(), workload.deletes(),
                applied, metric(processor, "cdc.processor.applied", "op:c"), metric(processor, "cdc.processor.applied", "op:u"),
                metric(processor, "cdc.processor.applied", "op:d"), skipped, countRecords(), epochs);
        assertTrue(workload.rowChanges() > 100L * rounds, "the workload ran through the failovers");
        assertEquals(workload.rowChanges(), applied, "each source change applied exactly once");
        assertEquals(11, metric(processor, "cdc.processor.applied", "op:r"), "the snapshot was taken once");
        assertOffsetLogNeverMovesBackwards();
    }

    /** Test 2: a paused (SIGSTOP) active is fenced when it wakes: its late writes are rejected and it becomes standby. */
    @Test
    void pausedActiveIsFencedWhenItWakes() throws Exception {
        start(DatabaseKind.MARIADB);
        AppProcess a = pipeline.startConnector("a");
        assertEquals("a", LeaseOwner.await(store, NAME, Duration.ofSeconds(60)));
        AppProcess b = pipeline.startConnector("b");
        assertTrue(b.awaitLog("started as STANDBY", Duration.ofSeconds(60)));
        Workload workload = new Workload(source, 2);
        workload.run(100, 200);
        assertTrue(a.awaitLog("events of epoch 1 published", Duration.ofSeconds(60)));

        assertEquals("a", leaseOwner());
        long epochA = leaseEpoch();
        a.pause();
        workload.run(100, 100);
        assertTrue(b.awaitLog("is now ACTIVE", Duration.ofSeconds(30)), "the standby takes over while the active is paused: " + tail(b));
        assertEquals("b", leaseOwner());
        long epochB = leaseEpoch();
        assertTrue(epochB > epochA);
        workload.run(100, 100);
        assertTrue(b.awaitLog("events of epoch " + epochB + " published", Duration.ofSeconds(30)), tail(b));
        a.resume();
        workload.run(50, 100);
        assertTrue(a.awaitLog("lost leadership of epoch " + epochA + " and is now STANDBY", Duration.ofSeconds(30)), tail(a));
        assertEquals("b", leaseOwner());
        assertEquals(epochB, leaseEpoch());

        // Kafka: once the new epoch has published to a partition, no committed record of the old one follows it there.
        Map<String, List<Long>> epochsByPartition = readEpochs(workload.rowChanges() + 11);
        epochsByPartition.forEach((partition, epochs) -> {
            int firstNew = epochs.indexOf(epochB);
            if (firstNew >= 0) {
                assertFalse(epochs.subList(firstNew, epochs.size()).contains(epochA),
                        partition + ": a zombie record of epoch " + epochA + " after epoch " + epochB + ": " + epochs);
            }
        });
        assertOffsetLogNeverMovesBackwards();
        assertTrue(a.isAlive(), "the fenced instance stays up as a standby");
    }

    /** Test 3: the store becomes unreachable: the leader stops within the ttl; when it returns, exactly one leader resumes. */
    @Test
    void storeOutageStopsStreamingAndOneLeaderResumesAfterwards() throws Exception {
        start(DatabaseKind.MARIADB);
        pipeline.startProcessor();
        AppProcess a = pipeline.startConnector("a");
        assertEquals("a", LeaseOwner.await(store, NAME, Duration.ofSeconds(60)));
        AppProcess b = pipeline.startConnector("b");
        assertTrue(b.awaitLog("started as STANDBY", Duration.ofSeconds(60)));
        assertEqual(Duration.ofSeconds(120));

        long cutAt = System.nanoTime();
        pipeline.storeProxy().cut();
        assertTrue(a.awaitLog("lost leadership of epoch 1", TTL.plusMillis(500)), "the leader stops within the ttl");
        long stoppedAfter = Duration.ofNanos(System.nanoTime() - cutAt).toMillis();
        Workload workload = new Workload(source, 3);
        workload.run(100, 100);
        long publishedBefore = countRecords();
        AppProcess.sleep(3000);
        assertEquals(publishedBefore, countRecords(), "nobody streams while the store is unreachable");
        assertFalse(b.logText().contains("is now ACTIVE"), "the standby cannot take the lease either");

        pipeline.storeProxy().restore();
        LeaseOwner.await(store, NAME, Duration.ofSeconds(60));
        assertEqual(Duration.ofSeconds(120));
        AppProcess.sleep(2 * TTL.toMillis());
        int leaders = count(a.logText(), "is now ACTIVE with lease epoch 2") + count(b.logText(), "is now ACTIVE with lease epoch 2");
        assertEquals(1, leaders, "exactly one instance resumed");
        assertEquals(2, leaseEpoch(), "no flapping after the store returned");
        System.out.printf("storeOutage: leader stopped %d ms after the cut (ttl %d ms)%n", stoppedAfter, TTL.toMillis());
    }

    /** Test 4: both instances start at the same moment: exactly one leads. */
    @Test
    void simultaneousStartElectsExactlyOneLeader() throws Exception {
        start(DatabaseKind.MARIADB);
        AppProcess a = pipeline.startConnector("a");
        AppProcess b = pipeline.startConnector("b");
        LeaseOwner.await(store, NAME, Duration.ofSeconds(60));
        AppProcess.sleep(3 * TTL.toMillis());
        int activations = count(a.logText(), "is now ACTIVE") + count(b.logText(), "is now ACTIVE");
        assertEquals(1, activations, "exactly one instance became active");
        assertEquals(1, leaseEpoch());
        assertTrue(a.logText().contains("started as STANDBY") && b.logText().contains("started as STANDBY"));
    }

    private void assertEqual(Duration timeout) throws SQLException {
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", LocalRun.TABLES, timeout);
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
    }

    private String leaseOwner() throws SQLException {
        return leaseColumn("owner_id");
    }

    private long leaseEpoch() throws SQLException {
        return Long.parseLong(leaseColumn("epoch"));
    }

    private String leaseColumn(String column) throws SQLException {
        try (PreparedStatement ps = store.prepareStatement("SELECT " + column + " FROM cdc_lease WHERE connector_name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a lease row exists");
                return rs.getString(1);
            }
        }
    }

    /** Positions and epochs in the offset log only ever grow. */
    private void assertOffsetLogNeverMovesBackwards() throws Exception {
        long[] previous = null;
        long previousEpoch = 0;
        int rows = 0;
        try (PreparedStatement ps = store.prepareStatement(
                "SELECT offset_value, epoch FROM cdc_offset_log WHERE connector_name = ? AND kind = 'commit' ORDER BY id")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    JsonNode offset = JSON.readTree(rs.getString(1));
                    String file = offset.get("file").asText();
                    long[] position = {Long.parseLong(file.substring(file.lastIndexOf('.') + 1)), offset.get("pos").asLong(),
                            offset.path("event").asLong(0), offset.path("row").asLong(0)};
                    long epoch = rs.getLong(2);
                    assertTrue(epoch >= previousEpoch, "epochs never go back in the offset log");
                    if (previous != null) {
                        assertTrue(java.util.Arrays.compare(position, previous) >= 0, "offset log moved backwards: "
                                + java.util.Arrays.toString(previous) + " then " + java.util.Arrays.toString(position));
                    }
                    previous = position;
                    previousEpoch = epoch;
                }
            }
        }
        assertTrue(rows > 0, "the offset log has commits");
    }

    private long countRecords() {
        return readEpochs(-1).values().stream().mapToLong(List::size).sum();
    }

    /** Epoch header of every committed record, per topic-partition in offset order; reads until {@code atLeast} records (or 5 s idle). */
    private Map<String, List<Long>> readEpochs(long atLeast) {
        Map<String, List<Long>> out = new java.util.TreeMap<>();
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "fo-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Pattern.compile(NAME + "\\.shop\\..*"));
            long idleSince = System.nanoTime();
            long total = 0;
            while (System.nanoTime() - idleSince < Duration.ofSeconds(5).toNanos()) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    if (r.value() == null) {
                        continue;
                    }
                    long epoch = Long.parseLong(new String(r.headers().lastHeader("cdc.epoch").value()));
                    out.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>()).add(epoch);
                    total++;
                }
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                if (atLeast > 0 && total >= atLeast && records.isEmpty()) {
                    break;
                }
            }
        }
        return out;
    }

    /** A counter's cumulative value from the app's Prometheus endpoint (the /metrics endpoint may report a step). */
    private long metric(AppProcess app, String name, String tag) {
        return Math.round(Metrics.prometheusValue(pipeline.get(app, "/prometheus"), name, tag));
    }

    private static String tail(AppProcess p) {
        String text = p.logText();
        return p.name() + " log tail:\n" + text.substring(Math.max(0, text.length() - 4000));
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
