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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Failover time = kill -9 of the active connector → the first event published by the standby (the Kafka
 * CreateTime of the first committed record carrying the new lease epoch), over N rounds (default 10) while
 * a writer inserts 100 rows/s. Run: ./mvnw -q -Pdemo -DskipTests verify -Ddemo.main=dev.cdc.demo.bench.FailoverBenchmark
 */
public final class FailoverBenchmark {

    private FailoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 10);
        Path work = Files.createTempDirectory("failover-bench");
        try (LocalStack stack = LocalStack.start(work); Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), "bench")) {
            stack.loadDemoSchema();
            AppProcess[] instances = {pipeline.startConnector("a"), pipeline.startConnector("b")};
            for (AppProcess p : instances) {
                p.awaitLog("Engine warm-up done", Duration.ofSeconds(60));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> write(stack, writing), "writer");
            writer.start();
            List<Long> samples = new ArrayList<>();
            Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "bench-" + UUID.randomUUID(),
                    "auto.offset.reset", "latest", "isolation.level", "read_committed", "metadata.max.age.ms", 1000);
            try (Connection store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
                 KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(Pattern.compile("bench\\.shop\\..*"));
                for (int round = 1; round <= rounds; round++) {
                    long[] lease = lease(store);
                    int active = lease[1] == 0 ? 0 : 1;
                    if (!instances[active].awaitLog("events of epoch " + lease[0] + " published", Duration.ofSeconds(60))) {
                        throw new IllegalStateException("active instance never published; see " + instances[active].log());
                    }
                    drain(consumer, Duration.ofMillis(500));
                    long killedAt = System.currentTimeMillis();
                    instances[active].kill9();
                    long firstNew = awaitEpochAbove(consumer, lease[0], Duration.ofSeconds(30));
                    long ms = firstNew - killedAt;
                    samples.add(ms);
                    System.out.printf(Locale.ROOT, "round %2d: killed %s (epoch %d) → first event of the standby after %d ms%n", round,
                            instances[active].name(), lease[0], ms);
                    instances[active] = pipeline.startConnector(active == 0 ? "a" : "b");
                    // A standby normally runs for a long time before it must take over: let it warm up first.
                    instances[active].awaitLog("Engine warm-up done", Duration.ofSeconds(60));
                }
            } finally {
                writing.set(false);
                writer.join();
            }
            System.out.printf(Locale.ROOT, "failover over %d rounds: min %d ms, median %.0f ms, max %d ms (lease ttl 2 s; %s)%n", samples.size(),
                    samples.stream().mapToLong(Long::longValue).min().orElse(-1), Stats.median(samples),
                    samples.stream().mapToLong(Long::longValue).max().orElse(-1), Stats.machine());
        }
    }

    private static long[] lease(Connection store) throws Exception {
        try (PreparedStatement ps = store.prepareStatement("SELECT epoch, owner_id FROM cdc_lease WHERE connector_name = 'bench' AND expires_at > NOW(3)")) {
            for (int i = 0; i < 600; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new long[] {rs.getLong(1), rs.getString(2).equals("a") ? 0 : 1};
                    }
                } catch (Exception e) {
                    // store tables appear with the first connector
                }
                AppProcess.sleep(100);
            }
        }
        throw new IllegalStateException("no leader");
    }

    private static void drain(KafkaConsumer<byte[], byte[]> consumer, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private static long awaitEpochAbove(KafkaConsumer<byte[], byte[]> consumer, long epoch, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                if (r.headers().lastHeader("cdc.epoch") != null && Long.parseLong(new String(r.headers().lastHeader("cdc.epoch").value())) > epoch) {
                    return r.timestamp();
                }
            }
        }
        throw new IllegalStateException("no event of a newer epoch within " + timeout);
    }

    private static void write(LocalStack stack, AtomicBoolean writing) {
        try (Connection c = stack.source().rootConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO shop.orders (customer_id, status, total, placed_at) VALUES (1, 'new', 1.00, NOW(3))")) {
            while (writing.get()) {
                ps.executeUpdate();
                AppProcess.sleep(10);
            }
        } catch (Exception e) {
            System.err.println("writer stopped: " + e);
        }
    }
}
