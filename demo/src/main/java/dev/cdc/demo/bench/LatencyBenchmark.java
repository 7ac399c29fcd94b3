package dev.cdc.demo.bench;

import dev.cdc.demo.AppProcess;
import dev.cdc.demo.Pipeline;
import dev.cdc.localstack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency, commit on the source → row applied in the target, at a steady rate (default 1,000 rows/s
 * for 30 s, one row per transaction, after a 15 s warm-up at the same rate). The source row carries its commit time (NOW(6)); the target table is
 * created beforehand with one extra column {@code applied_at DEFAULT NOW(6)} that the processor never writes,
 * so the target itself stamps the apply time. Both servers run on this machine's clock.
 * Run: ./mvnw -q -Pdemo -DskipTests verify -Ddemo.main=dev.cdc.demo.bench.LatencyBenchmark
 */
public final class LatencyBenchmark {

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("rate", 1000);
        int seconds = Integer.getInteger("seconds", 30);
        Path work = Files.createTempDirectory("latency-bench");
        try (LocalStack stack = LocalStack.start(work); Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), "lat");
             Connection source = stack.source().rootConnection();
             Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
            String columns = "id BIGINT NOT NULL PRIMARY KEY, account VARCHAR(40) NOT NULL, amount DECIMAL(12,2) NOT NULL, created DATETIME(6) NOT NULL";
            try (Statement s = source.createStatement()) {
                s.execute("CREATE DATABASE shop");
                s.execute("CREATE TABLE shop.ticks (" + columns + ") ENGINE=InnoDB");
            }
            try (Statement s = target.createStatement()) {
                s.execute("CREATE TABLE ticks (" + columns + ", applied_at DATETIME(6) NOT NULL DEFAULT NOW(6)) ENGINE=InnoDB");
            }
            pipeline.startProcessor();
            AppProcess connector = pipeline.startConnector("lat");
            if (!connector.awaitLog("is now ACTIVE", Duration.ofSeconds(60))) {
                throw new IllegalStateException("connector did not start; see " + connector.log());
            }
            // Warm-up at the same rate before measuring (default 15 s): the first seconds of fresh JVMs run
            // interpreted code and would measure the JIT, not the steady state.
            int warmup = rate * Integer.getInteger("warmup-seconds", 15);
            long id = write(source, 1, warmup, rate);
            awaitCount(target, warmup);
            long firstMeasured = id;
            KafkaLatency kafka = new KafkaLatency(stack.kafka().bootstrapServers(), "lat\\.shop\\.ticks", firstMeasured);
            kafka.start();
            id = write(source, id, rate * seconds, rate);
            awaitCount(target, id - 1);
            List<Double> toKafka = kafka.stop();
            List<Double> latencies = new ArrayList<>();
            try (PreparedStatement ps = target.prepareStatement(
                    "SELECT TIMESTAMPDIFF(MICROSECOND, created, applied_at) FROM ticks WHERE id >= ?")) {
                ps.setLong(1, firstMeasured);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        latencies.add(rs.getLong(1) / 1000.0);
                    }
                }
            }
            if (Boolean.getBoolean("latency.timeline")) {
                try (PreparedStatement ps = target.prepareStatement("SELECT DATE_FORMAT(created, '%H:%i:%s'), MAX(TIMESTAMPDIFF(MICROSECOND, created, applied_at)) / 1000, COUNT(*)"
                        + " FROM ticks WHERE id >= ? GROUP BY 1 ORDER BY 1")) {
                    ps.setLong(1, firstMeasured);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            System.out.printf(Locale.ROOT, "  %s max %.0f ms (%d rows)%n", rs.getString(1), rs.getDouble(2), rs.getLong(3));
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "latency commit → published to Kafka (CreateTime): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d records%n",
                    Stats.percentile(toKafka, 50), Stats.percentile(toKafka, 99), Stats.percentile(toKafka, 100), toKafka.size());
            System.out.printf(Locale.ROOT, "latency commit → applied at %d rows/s over %d rows: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%s)%n",
                    rate, latencies.size(), Stats.percentile(latencies, 50), Stats.percentile(latencies, 99), Stats.percentile(latencies, 100),
                    Stats.machine());
        }
    }

    /** Reads the published records and compares their Kafka CreateTime with the row's commit time. */
    private static final class KafkaLatency {
        private final org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer;
        private final long firstId;
        private final List<Double> samples = new ArrayList<>();
        private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        private volatile boolean running = true;
        private Thread thread;

        KafkaLatency(String bootstrap, String topicPattern, long firstId) {
            this.firstId = firstId;
            this.consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(java.util.Map.of("bootstrap.servers", bootstrap,
                    "group.id", "lat-" + java.util.UUID.randomUUID(), "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                    new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer());
            consumer.subscribe(java.util.regex.Pattern.compile(topicPattern));
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            var after = r.value() == null ? null : json.readTree(r.value()).get("after");
                            if (after != null && after.get("id").asLong() >= firstId) {
                                long created = java.time.LocalDateTime.parse(after.get("created").asText())
                                        .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
                                samples.add((double) (r.timestamp() - created));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                consumer.close();
            }, "kafka-latency");
            thread.start();
        }

        List<Double> stop() throws InterruptedException {
            Thread.sleep(2000);
            running = false;
            thread.join();
            return samples;
        }
    }

    private static long write(Connection source, long firstId, int count, int rate) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        long id = firstId;
        try (PreparedStatement ps = source.prepareStatement("INSERT INTO shop.ticks VALUES (?, ?, ?, NOW(6))")) {
            for (int i = 0; i < count; i++) {
                ps.setLong(1, id);
                ps.setString(2, "acct-" + (id % 97));
                ps.setBigDecimal(3, java.math.BigDecimal.valueOf(id % 10000, 2));
                ps.executeUpdate();
                id++;
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 1_000_000) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
        return id;
    }

    private static void awaitCount(Connection target, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ticks")) {
                rs.next();
                if (rs.getLong(1) >= count) {
                    return;
                }
            }
            AppProcess.sleep(200);
        }
        throw new IllegalStateException("target did not reach " + count + " rows");
    }
}
