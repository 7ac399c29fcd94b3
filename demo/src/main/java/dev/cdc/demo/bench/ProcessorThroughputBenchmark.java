package dev.cdc.demo.bench;

import dev.cdc.demo.AppProcess;
import dev.cdc.demo.Pipeline;
import dev.cdc.localstack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end throughput of the processor next to the connector's: 200,000 rows in 500-row transactions written as
 * fast as the source takes them, to one table, then to 8 tables written concurrently (25,000 rows each), with one
 * connector and one processor running; scenario {@code wide30} writes them to one table of 30 columns of mixed types
 * ({@link ThroughputScenario}). Per round it reports
 * <ul>
 *   <li>writer rows/s: rows / (last source commit − first write);</li>
 *   <li>commit → Kafka rows/s: rows / (CreateTime of the last record − first write);</li>
 *   <li>commit → applied rows/s: rows / (last target apply − first write); the target tables are created beforehand with
 *       an extra column {@code applied_at DEFAULT NOW(6)} that the processor never writes, so the target stamps each row;</li>
 *   <li>drain: last target apply − last source commit;</li>
 *   <li>the processor's CPU seconds (user + system, /proc) per 100k rows and its peak RSS (VmHWM).</li>
 * </ul>
 * The connector's lease ttl is 10 s: on a loaded machine a 2 s lease can starve and a failover would be measured instead.
 * The Kafka timestamps are read after the round, so that no extra consumer competes with the pipeline while it runs.
 * Each scenario runs after an unmeasured warm-up round; medians of {@code rounds} (default 3) rounds.
 *
 * <p>Run: {@code ./mvnw -q -Pdemo -DskipTests verify -Ddemo.main=dev.cdc.demo.bench.ProcessorThroughputBenchmark}; options in
 * {@code -Ddemo.args=rounds=3,rows=200000,scenarios=1+8+wide30,jfr=/tmp/processor.jfr} (default scenarios 1+8; jfr records a flight recording of the processor
 * over the measured rounds).
 */
public final class ProcessorThroughputBenchmark {

    private static final int ROWS_PER_TRANSACTION = 500;

    private ProcessorThroughputBenchmark() {
    }

    private record Round(double writerRate, double kafkaRate, double appliedRate, double drainSeconds, double cpuPer100k) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int rows = Integer.parseInt(options.getOrDefault("rows", "200000"));
        String jfr = options.get("jfr");
        List<ThroughputScenario> scenarios = new ArrayList<>();
        for (String s : options.getOrDefault("scenarios", "1+8").split("\\+")) {
            scenarios.add(ThroughputScenario.parse(s));
        }
        Path work = Files.createTempDirectory("processor-bench");
        System.out.printf(Locale.ROOT, "processor throughput: %d rows in %d-row transactions, scenarios %s, %d rounds each; load average %s%n",
                rows, ROWS_PER_TRANSACTION, scenarios.stream().map(ThroughputScenario::label).toList(), rounds, Stats.loadAverage());
        try (LocalStack stack = LocalStack.start(work); Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), "ptput").leaseTtl(Duration.ofSeconds(10));
             Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
            Map<String, Long> nextId = new HashMap<>();
            try (Connection source = stack.source().rootConnection(); Statement s = source.createStatement();
                 Statement t = target.createStatement()) {
                s.execute("CREATE DATABASE shop");
                for (ThroughputScenario scenario : scenarios) {
                    for (String table : scenario.tables()) {
                        if (nextId.putIfAbsent(table, 1L) == null) {
                            s.execute("CREATE TABLE shop." + table + " (" + scenario.columnDdl() + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
                            t.execute("CREATE TABLE " + table + " (" + scenario.columnDdl()
                                    + ", applied_at DATETIME(6) NOT NULL DEFAULT NOW(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
                        }
                    }
                }
            }
            AppProcess processor = pipeline.startProcessor();
            AppProcess connector = pipeline.startConnector("bench");
            if (!connector.awaitLog("is now ACTIVE", Duration.ofSeconds(120))) {
                throw new IllegalStateException("connector did not start; see " + connector.log());
            }
            Map<String, List<Round>> results = new HashMap<>();
            boolean recording = false;
            for (ThroughputScenario scenario : scenarios) {
                // Warm-up (not measured): creates the topics, lets the processor find them and warms both JVMs.
                runRound(stack, target, processor, scenario, Math.min(rows, 40_000), nextId);
                if (jfr != null && !recording) {
                    jcmd(processor.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
                    recording = true;
                }
                List<Round> list = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Round r = runRound(stack, target, processor, scenario, rows, nextId);
                    list.add(r);
                    System.out.printf(Locale.ROOT, "%s, round %d: writer %,.0f rows/s | commit → Kafka %,.0f rows/s | commit → applied %,.0f rows/s"
                                    + " (%.2f× Kafka) | drain %.1f s after the last commit | processor %.2f CPU s per 100k rows, peak RSS %d MiB | load %s%n",
                            describe(scenario), round, r.writerRate, r.kafkaRate, r.appliedRate, r.appliedRate / r.kafkaRate, r.drainSeconds, r.cpuPer100k,
                            Stats.peakRssMiB(processor.pid()), Stats.loadAverage());
                }
                results.put(scenario.label(), list);
            }
            if (recording) {
                jcmd(processor.pid(), "JFR.stop", "name=bench");
                System.out.println("flight recording of the processor: " + jfr);
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "medians of %d rounds, %d rows in %d-row transactions (%s; load average at the end %s):%n",
                    rounds, rows, ROWS_PER_TRANSACTION, Stats.machine(), Stats.loadAverage());
            System.out.println("| scenario | writer rows/s | commit → Kafka rows/s | commit → applied rows/s | applied / Kafka | drain after last commit | processor CPU s / 100k rows | processor peak RSS |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (ThroughputScenario scenario : scenarios) {
                List<Round> list = results.get(scenario.label());
                double kafka = Stats.median(list.stream().map(Round::kafkaRate).toList());
                double applied = Stats.median(list.stream().map(Round::appliedRate).toList());
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f | %.1f s | %.2f | %d MiB |%n", describe(scenario),
                        Stats.median(list.stream().map(Round::writerRate).toList()), kafka, applied, applied / kafka,
                        Stats.median(list.stream().map(Round::drainSeconds).toList()), Stats.median(list.stream().map(Round::cpuPer100k).toList()),
                        Stats.peakRssMiB(processor.pid()));
            }
            System.out.println("processor log: " + processor.log());
        }
    }

    private static String describe(ThroughputScenario scenario) {
        return scenario.tables().size() + " table(s) of " + scenario.columns() + " columns";
    }

    /** Writes {@code rows} rows spread over the scenario's tables, one writer thread per table, and waits until all are applied. */
    private static Round runRound(LocalStack stack, Connection target, AppProcess processor, ThroughputScenario scenario, int rows,
                                  Map<String, Long> nextId) throws Exception {
        List<String> tables = scenario.tables();
        int perTable = rows / tables.size();
        Map<String, Long> firstId = new HashMap<>();
        Map<TopicPartition, Long> kafkaStart = endOffsets(stack, tables);
        long cpuBefore = Stats.cpuTicks(processor.pid());
        long started = System.currentTimeMillis();
        ExecutorService writers = Executors.newFixedThreadPool(tables.size());
        List<Future<Long>> done = new ArrayList<>();
        for (String table : tables) {
            long from = nextId.get(table);
            firstId.put(table, from);
            nextId.put(table, from + perTable);
            done.add(writers.submit(() -> write(stack, scenario, table, from, perTable)));
        }
        long lastCommit = 0;
        for (Future<Long> f : done) {
            lastCommit = Math.max(lastCommit, f.get());
        }
        writers.shutdown();
        long lastApplied = awaitApplied(target, tables, firstId, perTable);
        long cpuAfter = Stats.cpuTicks(processor.pid());
        long lastPublished = lastCreateTime(stack, tables, kafkaStart, (long) perTable * tables.size());
        long total = (long) perTable * tables.size();
        double cpuSeconds = (cpuAfter - cpuBefore) / (double) Stats.CLOCK_TICKS_PER_SECOND;
        return new Round(total * 1000.0 / Math.max(1, lastCommit - started), total * 1000.0 / Math.max(1, lastPublished - started),
                total * 1000.0 / Math.max(1, lastApplied - started), (lastApplied - lastCommit) / 1000.0, cpuSeconds * 100_000 / total);
    }

    /** Inserts ids {@code from} .. {@code from + count - 1} into shop.{@code table}; returns the time of the last commit. */
    private static long write(LocalStack stack, ThroughputScenario scenario, String table, long from, int count) throws Exception {
        try (Connection source = stack.source().rootConnection(); Statement s = source.createStatement()) {
            source.setAutoCommit(false);
            long id = from;
            for (int written = 0; written < count; written += ROWS_PER_TRANSACTION) {
                StringBuilder sql = new StringBuilder("INSERT INTO shop.").append(table).append(" VALUES ");
                int n = Math.min(ROWS_PER_TRANSACTION, count - written);
                for (int i = 0; i < n; i++, id++) {
                    sql.append(i == 0 ? "" : ",");
                    scenario.appendRow(sql, id);
                }
                s.execute(sql.toString());
                source.commit();
            }
            return System.currentTimeMillis();
        }
    }

    /** Waits until every row of the round is in the target; returns the latest apply time the target stamped. */
    private static long awaitApplied(Connection target, List<String> tables, Map<String, Long> firstId, int perTable) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        for (String t : tables) {
            long last = firstId.get(t) + perTable - 1;
            while (true) {
                try (PreparedStatement ps = target.prepareStatement("SELECT COUNT(*) FROM " + t + " WHERE id BETWEEN ? AND ?")) {
                    ps.setLong(1, firstId.get(t));
                    ps.setLong(2, last);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= perTable) {
                            break;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(t + " did not receive all " + perTable + " rows within 15 minutes");
                }
                AppProcess.sleep(250);
            }
        }
        long latest = 0;
        for (String t : tables) {
            try (PreparedStatement ps = target.prepareStatement("SELECT MAX(applied_at) FROM " + t + " WHERE id BETWEEN ? AND ?")) {
                ps.setLong(1, firstId.get(t));
                ps.setLong(2, firstId.get(t) + perTable - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Timestamp ts = rs.getTimestamp(1);
                    latest = Math.max(latest, ts.getTime());
                }
            }
        }
        return latest;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(LocalStack stack) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "ptput-" + UUID.randomUUID(),
                "isolation.level", "read_committed", "max.poll.records", 5000, "enable.auto.commit", false);
        return new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The end offsets of the partitions of the tables' topics (absent topics: none). */
    private static Map<TopicPartition, Long> endOffsets(LocalStack stack, List<String> tables) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(stack)) {
            List<TopicPartition> partitions = new ArrayList<>();
            Map<String, List<PartitionInfo>> topics = c.listTopics();
            for (String t : tables) {
                List<PartitionInfo> infos = topics.get("ptput.shop." + t);
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            return new HashMap<>(c.endOffsets(partitions));
        }
    }

    /**
     * The latest CreateTime of the change records published since {@code from} (a topic created during the round: from its
     * start); checks that {@code expected} of them are there.
     */
    private static long lastCreateTime(LocalStack stack, List<String> tables, Map<TopicPartition, Long> from, long expected) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(stack)) {
            List<TopicPartition> partitions = new ArrayList<>(endOffsets(stack, tables).keySet());
            c.assign(partitions);
            for (TopicPartition tp : partitions) {
                c.seek(tp, from.getOrDefault(tp, 0L));
            }
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long seen = 0;
            long last = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    // Row changes only: not tombstones, nor the snapshot markers and the schema-change events (one per
                    // partition) sent when a table's topic is new.
                    String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
                    if (value != null && !value.contains("\"op\":\"m\"") && !value.contains("\"op\":\"s\"")) {
                        seen++;
                        last = Math.max(last, r.timestamp());
                    }
                }
            }
            // More than expected: a connector restart re-sent records after its last stored offset (at-least-once into Kafka).
            if (seen < expected) {
                throw new IllegalStateException("expected " + expected + " change records in Kafka, found " + seen);
            }
            if (seen > expected) {
                System.out.printf(Locale.ROOT, "  (%d records re-sent after a connector restart: at-least-once into Kafka)%n",
                        seen - expected);
            }
            return last;
        }
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** The options, checked against the keys this benchmark takes. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = BenchmarkOptions.parse(args, "rounds, rows, scenarios, jfr");
        return options;
    }
}
