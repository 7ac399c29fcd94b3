package dev.cdc.demo.bench;

import dev.cdc.demo.AppProcess;
import dev.cdc.demo.Metrics;
import dev.cdc.demo.Pipeline;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.MariaDbBinaries;
import dev.cdc.localstack.SqlScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The initial snapshot of one large table (default 5,000,000 rows, 10 columns, {@code shop.bulk}), end to end, each
 * mode on a fresh local stack with one processor:
 * <ul>
 *   <li>{@code blocking}: one connector, Debezium's one-pass snapshot (the default {@code cdc.snapshot.mode});</li>
 *   <li>{@code incremental}: one connector, {@code cdc.snapshot.mode=incremental} (primary-key chunks interleaved with
 *       the binlog);</li>
 *   <li>{@code failover}: incremental, two connector instances; the active one is killed with kill -9 once it has
 *       committed {@code kill} (default 0.5) of the rows, and the standby continues the snapshot.</li>
 * </ul>
 * Per mode it reports, from the moment the connector(s) started: source → Kafka rows/s (CreateTime of the last snapshot
 * record), source → target rows/s (the target table is created beforehand with an extra column
 * {@code applied_at DEFAULT NOW(6)} the processor never writes, so the target stamps each row), the connectors' and
 * the processor's CPU seconds and peak RSS (VmHWM), and the rows snapshotted more than once (keys with more than one
 * snapshot read in the topic). At the end the target must hold the source's rows: count and a CRC32 checksum of every
 * column. The topic is read after the run, so that no extra consumer competes with the pipeline while it runs.
 *
 * <p>Run: {@code ./mvnw -q -Pdemo -DskipTests verify -Ddemo.main=dev.cdc.demo.bench.SnapshotBenchmark}; options in
 * {@code -Ddemo.args=rows=5000000,modes=blocking+incremental+failover,kill=0.5}, plus {@code connector.<key>=<value>} and
 * {@code processor.<key>=<value>} for the apps' settings (e.g. {@code connector.cdc.snapshot.chunk-size=16384}).
 */
public final class SnapshotBenchmark {

    private static final String NAME = "snap";
    private static final String TABLE = "bulk";
    private static final String COLUMN_DDL = "id BIGINT NOT NULL PRIMARY KEY, account VARCHAR(20) NOT NULL, amount DECIMAL(12,2) NOT NULL,"
            + " qty INT NOT NULL, price DECIMAL(10,4) NOT NULL, status VARCHAR(12) NOT NULL, note VARCHAR(60) NULL,"
            + " created_at DATETIME(6) NOT NULL, ship_date DATE NOT NULL, flags TINYINT NOT NULL";
    private static final String COLUMNS = "id, account, amount, qty, price, status, note, created_at, ship_date, flags";
    private static final int LOAD_SLICE = 1_000_000;
    /**
     * Long enough that a busy machine does not starve a lease renewal: at load average 43 a 10 s lease lapsed and the
     * blocking snapshot began again from row 1 (a failover would be measured instead). The standby takes over a killed
     * connector after about this long.
     */
    private static final Duration LEASE_TTL = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofMinutes(90);

    private SnapshotBenchmark() {
    }

    /** The outcome of one mode. */
    record Run(String mode, long rows, double loadSeconds, double firstRecordSeconds, double kafkaSeconds, double targetSeconds,
               String connectorCpu, String connectorRss, double processorCpu, long processorRss, long snapshotRecords, long keysTwice,
               String failover, boolean equal, String load) {

        double kafkaRate() {
            return rows / kafkaSeconds;
        }

        double targetRate() {
            return rows / targetSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long rows = Long.parseLong(options.getOrDefault("rows", "5000000"));
        double kill = Double.parseDouble(options.getOrDefault("kill", "0.5"));
        List<String> modes = List.of(options.getOrDefault("modes", "blocking+incremental+failover").split("\\+"));
        for (String mode : modes) {
            if (!List.of("blocking", "incremental", "failover").contains(mode)) {
                throw new IllegalArgumentException("mode '" + mode + "' is unknown: use blocking, incremental, failover (joined by +)");
            }
        }
        Map<String, String> connectorExtra = prefixed(options, "connector.");
        Map<String, String> processorExtra = prefixed(options, "processor.");
        System.out.printf(Locale.ROOT, "snapshot benchmark: %,d rows of shop.%s (10 columns), modes %s, kill at %.0f %%, connector %s, processor %s;"
                + " %s; load average %s%n", rows, TABLE, modes, kill * 100, connectorExtra, processorExtra, Stats.machine(), Stats.loadAverage());
        List<Run> runs = new ArrayList<>();
        for (String mode : modes) {
            Run run = runMode(mode, rows, kill, connectorExtra, processorExtra);
            runs.add(run);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d rows, 10 columns (%s; connector %s, processor %s):%n", rows, Stats.machine(), connectorExtra, processorExtra);
        System.out.println("| mode | start → first record | source → Kafka | source → target | connector CPU s / peak RSS | processor CPU s / peak RSS"
                + " | rows snapshotted twice | target = source | load average (1/5/15 min) at the end |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "| %s | %.1f s | %,.0f rows/s (%.1f s) | %,.0f rows/s (%.1f s) | %s / %s | %.0f / %d MiB | %,d%s | %s | %s |%n",
                    r.mode, r.firstRecordSeconds, r.kafkaRate(), r.kafkaSeconds, r.targetRate(), r.targetSeconds, r.connectorCpu, r.connectorRss,
                    r.processorCpu, r.processorRss, r.keysTwice, r.failover.isEmpty() ? "" : " (" + r.failover + ")", r.equal ? "yes" : "NO",
                    r.load);
        }
        if (runs.stream().anyMatch(r -> !r.equal)) {
            System.exit(1);
        }
    }

    private static Run runMode(String mode, long rows, double kill, Map<String, String> connectorExtra, Map<String, String> processorExtra)
            throws Exception {
        Path work = Files.createTempDirectory("snapshot-bench-" + mode);
        try (LocalStack stack = LocalStack.start(work); Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), NAME).leaseTtl(LEASE_TTL);
             Connection source = stack.source().rootConnection();
             Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
            double loadSeconds = load(source, target, rows);
            say(mode, "loaded %,d rows in %.1f s; load average %s", rows, loadSeconds, Stats.loadAverage());

            AppProcess processor = pipeline.startProcessor("processor", processorExtra);
            Map<String, String> connectorProps = new HashMap<>();
            if (!mode.equals("blocking")) {
                connectorProps.put("cdc.snapshot.mode", "incremental");
            }
            connectorProps.putAll(connectorExtra);
            long started = System.currentTimeMillis();
            Map<String, AppProcess> connectors = new LinkedHashMap<>();
            connectors.put("a", pipeline.startConnector("a", connectorProps));
            if (mode.equals("failover")) {
                connectors.put("b", pipeline.startConnector("b", connectorProps));
            }

            Map<String, Long> connectorTicks = new LinkedHashMap<>();
            Map<String, Long> connectorRss = new LinkedHashMap<>();
            String failover = "";
            String killed = null;
            long killedAt = 0;
            long lastProgress = System.currentTimeMillis();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(mode + ": the target did not receive all " + rows + " rows within " + TIMEOUT.toMinutes()
                            + " minutes; logs in " + work.resolve("logs"));
                }
                for (Map.Entry<String, AppProcess> c : connectors.entrySet()) {
                    if (!c.getKey().equals(killed) && !c.getValue().isAlive()) {
                        throw new IllegalStateException(mode + ": connector " + c.getKey() + " exited; see " + c.getValue().log());
                    }
                }
                if (!processor.isAlive()) {
                    throw new IllegalStateException(mode + ": the processor exited; see " + processor.log());
                }
                if (mode.equals("failover") && killed == null) {
                    for (Map.Entry<String, AppProcess> c : connectors.entrySet()) {
                        double done = snapshotRows(pipeline, c.getValue());
                        if (done >= kill * rows) {
                            killed = c.getKey();
                            connectorTicks.put(killed, Stats.cpuTicks(c.getValue().pid()));
                            connectorRss.put(killed, Stats.peakRssMiB(c.getValue().pid()));
                            killedAt = System.currentTimeMillis();
                            c.getValue().kill9();
                            failover = String.format(Locale.ROOT, "killed %s at %,.0f rows, %.1f s", killed, done, (killedAt - started) / 1000.0);
                            say(mode, "%s", failover);
                            break;
                        }
                    }
                }
                double applied = Metrics.prometheusValue(pipeline.get(processor, "/prometheus"), "cdc.processor.snapshot.rows.applied", null);
                if (System.currentTimeMillis() - lastProgress >= 30_000) {
                    lastProgress = System.currentTimeMillis();
                    StringBuilder published = new StringBuilder();
                    for (Map.Entry<String, AppProcess> c : connectors.entrySet()) {
                        if (!c.getKey().equals(killed)) {
                            published.append(String.format(Locale.ROOT, "%s %,.0f ", c.getKey(), snapshotRows(pipeline, c.getValue())));
                        }
                    }
                    say(mode, "%.0f s: in Kafka (this term) %s| applied %,.0f | load average %s", (lastProgress - started) / 1000.0, published,
                            applied, Stats.loadAverage());
                }
                // The counter counts rows applied again after a failover too: the target's count decides.
                if (applied >= rows && count(target, "SELECT COUNT(*) FROM " + TABLE) >= rows) {
                    break;
                }
                AppProcess.sleep(1000);
            }
            for (Map.Entry<String, AppProcess> c : connectors.entrySet()) {
                if (!c.getKey().equals(killed)) {
                    connectorTicks.put(c.getKey(), Stats.cpuTicks(c.getValue().pid()));
                    connectorRss.put(c.getKey(), Stats.peakRssMiB(c.getValue().pid()));
                }
            }
            double processorCpu = Stats.cpuTicks(processor.pid()) / (double) Stats.CLOCK_TICKS_PER_SECOND;
            long processorRss = Stats.peakRssMiB(processor.pid());
            String load = Stats.loadAverage();
            long lastApplied;
            try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(applied_at) FROM " + TABLE)) {
                rs.next();
                Timestamp ts = rs.getTimestamp(1);
                lastApplied = ts.getTime();
            }
            String sourceSum = checksum(source, "shop." + TABLE);
            String targetSum = checksum(target, TABLE);
            boolean equal = sourceSum.equals(targetSum);
            say(mode, "source %s, target %s: %s", sourceSum, targetSum, equal ? "equal" : "DIFFERENT");
            TopicScan scan = scanTopic(stack, rows);
            if (killed != null) {
                String standby = killed.equals("a") ? "b" : "a";
                failover += String.format(Locale.ROOT, "; the standby %s published %,.0f rows", standby, snapshotRows(pipeline, connectors.get(standby)));
            }
            Run run = new Run(mode, rows, loadSeconds, (scan.firstCreateTime - started) / 1000.0, (scan.lastCreateTime - started) / 1000.0,
                    (lastApplied - started) / 1000.0, joined(connectorTicks, t -> String.format(Locale.ROOT, "%.0f", t / (double) Stats.CLOCK_TICKS_PER_SECOND)),
                    joined(connectorRss, r -> r + " MiB"), processorCpu, processorRss, scan.records, scan.keysTwice, failover, equal, load);
            say(mode, "first snapshot record %.1f s after the connector started; source → Kafka %,.0f rows/s (last record at %.1f s); source → target"
                            + " %,.0f rows/s (last row applied at %.1f s); connector CPU %s s, peak RSS %s; processor CPU %.0f s, peak RSS %d MiB;"
                            + " %,d snapshot records for %,d keys, %,d keys read more than once; load average %s",
                    run.firstRecordSeconds, run.kafkaRate(), run.kafkaSeconds, run.targetRate(), run.targetSeconds, run.connectorCpu, run.connectorRss,
                    processorCpu, processorRss, scan.records, scan.keys, scan.keysTwice, load);
            return run;
        } finally {
            keepLogs(work.resolve("logs"), mode);
            MariaDbBinaries.deleteTree(work);
        }
    }

    /** The apps' logs outlive the run's databases (gigabytes, deleted): target/snapshot-benchmark/<mode>-<time>/. */
    private static void keepLogs(Path logs, String mode) {
        try (java.util.stream.Stream<Path> files = Files.exists(logs) ? Files.list(logs) : java.util.stream.Stream.empty()) {
            Path kept = Path.of("target", "snapshot-benchmark", mode + "-" + System.currentTimeMillis()).toAbsolutePath();
            Files.createDirectories(kept);
            for (Path f : files.toList()) {
                Files.copy(f, kept.resolve(f.getFileName()));
            }
            say(mode, "logs kept in %s", kept);
        } catch (java.io.IOException e) {
            say(mode, "could not keep the logs of %s: %s", logs, e.getMessage());
        }
    }

    /** Creates shop.bulk with {@code rows} rows and its empty target table; returns the seconds it took. */
    private static double load(Connection source, Connection target, long rows) throws Exception {
        long start = System.nanoTime();
        try (Statement s = source.createStatement(); Statement t = target.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("CREATE TABLE shop." + TABLE + " (" + COLUMN_DDL + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            t.execute("CREATE TABLE " + TABLE + " (" + COLUMN_DDL + ", applied_at DATETIME(6) NOT NULL DEFAULT NOW(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        }
        for (long from = 1; from <= rows; from += LOAD_SLICE) {
            long to = Math.min(rows, from + LOAD_SLICE - 1);
            SqlScript.runResource(source, "sql/snapshot-benchmark.sql", Map.of("FROM", Long.toString(from), "TO", Long.toString(to)));
        }
        try (Statement s = source.createStatement()) {
            // Fresh statistics: the snapshot's progress estimate and the chunk queries rely on them.
            s.execute("ANALYZE TABLE shop." + TABLE);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double snapshotRows(Pipeline pipeline, AppProcess connector) {
        return Metrics.prometheusValue(pipeline.get(connector, "/prometheus"), "cdc.connector.snapshot.rows", "table:shop." + TABLE);
    }

    /** Row count and the sum of the rows' CRC32 over every column (NULL as a marker), as a string. */
    private static String checksum(Connection c, String table) throws Exception {
        String row = "CONCAT_WS('|', " + String.join(", ", List.of(COLUMNS.split(", ")).stream().map(col -> "IFNULL(" + col + ", '~null~')").toList()) + ")";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(CRC32(" + row + ")) FROM " + table)) {
            rs.next();
            return rs.getLong(1) + " rows, checksum " + rs.getString(2);
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What the table's topic holds: snapshot reads (op r), their first and last CreateTime, keys read more than once. */
    record TopicScan(long records, long keys, long keysTwice, long firstCreateTime, long lastCreateTime) {
    }

    private static final byte[] SNAPSHOT_READ = "\"op\":\"r\"".getBytes(StandardCharsets.UTF_8);

    private static TopicScan scanTopic(LocalStack stack, long rows) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "snapbench-" + UUID.randomUUID(),
                "isolation.level", "read_committed", "max.poll.records", 10_000, "enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(NAME + ".shop." + TABLE)) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            BitSet seen = new BitSet((int) rows + 1);
            BitSet twice = new BitSet((int) rows + 1);
            long records = 0;
            long first = Long.MAX_VALUE;
            long last = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() == null || r.key() == null || !startsWithin(r.value(), SNAPSHOT_READ, 64)) {
                        continue;
                    }
                    records++;
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    int id = (int) digits(r.key());
                    if (seen.get(id)) {
                        twice.set(id);
                    }
                    seen.set(id);
                }
            }
            return new TopicScan(records, seen.cardinality(), twice.cardinality(), first, last);
        }
    }

    /** Whether {@code needle} occurs in the first {@code within} bytes of {@code value} (op comes right after the version). */
    private static boolean startsWithin(byte[] value, byte[] needle, int within) {
        int limit = Math.min(value.length - needle.length, within);
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (value[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The number in a one-column key such as {@code {"id":42}}. */
    private static long digits(byte[] key) {
        long n = 0;
        for (byte b : key) {
            if (b >= '0' && b <= '9') {
                n = n * 10 + (b - '0');
            }
        }
        return n;
    }

    private static String joined(Map<String, Long> perConnector, java.util.function.LongFunction<String> format) {
        List<String> parts = new ArrayList<>();
        perConnector.forEach((id, v) -> parts.add(perConnector.size() > 1 ? id + " " + format.apply(v) : format.apply(v)));
        return String.join(", ", parts);
    }

    private static Map<String, String> prefixed(Map<String, String> options, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The options, checked against the keys this benchmark takes. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = BenchmarkOptions.parse(args, "rows, modes, kill, connector.<key>, processor.<key>");
        for (String key : options.keySet()) {
            if (!List.of("rows", "modes", "kill").contains(key) && !key.startsWith("connector.") && !key.startsWith("processor.")) {
                throw new IllegalArgumentException("option '" + key + "' is unknown: use rows, modes, kill, connector.<key>, processor.<key>");
            }
        }
        return options;
    }

    private static void say(String mode, String format, Object... args) {
        System.out.println("[snapshot " + mode + "] " + String.format(Locale.ROOT, format, args));
    }
}
