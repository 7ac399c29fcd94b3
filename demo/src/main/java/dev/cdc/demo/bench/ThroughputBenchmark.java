package dev.cdc.demo.bench;

import dev.cdc.demo.AppProcess;
import dev.cdc.demo.Pipeline;
import dev.cdc.localstack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Streaming throughput of one connector with fencing and transactions on, measured as STACK-NOTES measured
 * Kafka Connect: 200,000 rows in 500-row transactions written as fast as MariaDB takes them, throughput =
 * rows / (CreateTime of the last record − start of the writes). Rounds default 3; also the connector's peak RSS.
 * Run: ./mvnw -q -Pdemo -DskipTests verify -Ddemo.main=dev.cdc.demo.bench.ThroughputBenchmark
 */
public final class ThroughputBenchmark {

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        int rows = Integer.getInteger("rows", 200_000);
        int perTransaction = 500;
        Path work = Files.createTempDirectory("throughput-bench");
        try (LocalStack stack = LocalStack.start(work); Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), "tput");
             Connection source = stack.source().rootConnection()) {
            try (Statement s = source.createStatement()) {
                s.execute("CREATE DATABASE shop");
                s.execute("CREATE TABLE shop.events (id BIGINT NOT NULL PRIMARY KEY, account VARCHAR(40) NOT NULL, amount DECIMAL(12,2) NOT NULL,"
                        + " note VARCHAR(100), created DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            }
            AppProcess connector = pipeline.startConnector("bench");
            if (!connector.awaitLog("is now ACTIVE", Duration.ofSeconds(60))) {
                throw new IllegalStateException("connector did not start; see " + connector.log());
            }
            AppProcess.sleep(3000);
            List<Double> results = new ArrayList<>();
            Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "tput-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest", "isolation.level", "read_committed", "max.poll.records", 5000,
                    "fetch.max.bytes", 64 * 1024 * 1024, "metadata.max.age.ms", 1000);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(Pattern.compile("tput\\.shop\\.events"));
                long nextId = 1;
                for (int round = 1; round <= rounds; round++) {
                    long started = System.currentTimeMillis();
                    source.setAutoCommit(false);
                    try (Statement s = source.createStatement()) {
                        for (int done = 0; done < rows; done += perTransaction) {
                            StringBuilder sql = new StringBuilder("INSERT INTO shop.events VALUES ");
                            for (int i = 0; i < perTransaction; i++) {
                                long id = nextId++;
                                sql.append(i == 0 ? "" : ",").append('(').append(id).append(",'acct-").append(id % 977)
                                        .append("',").append(id % 100000).append(".25,'bench row',NOW(6))");
                            }
                            s.execute(sql.toString());
                            source.commit();
                        }
                    }
                    source.setAutoCommit(true);
                    long written = System.currentTimeMillis();
                    long seen = 0;
                    long last = 0;
                    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                    while (seen < rows && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.value() != null) {
                                seen++;
                                last = Math.max(last, r.timestamp());
                            }
                        }
                    }
                    double rate = seen * 1000.0 / Math.max(1, last - started);
                    results.add(rate);
                    System.out.printf(Locale.ROOT, "round %d: %d rows written in %.1f s, all published %.1f s after the first write → %.0f rows/s;"
                                    + " connector peak RSS %d MiB%n", round, seen, (written - started) / 1000.0, (last - started) / 1000.0, rate,
                            Stats.peakRssMiB(connector.pid()));
                }
            }
            System.out.printf(Locale.ROOT, "streaming throughput, median of %d: %.0f rows/s; connector peak RSS %d MiB (-Xmx256m; %s)%n",
                    results.size(), Stats.median(results), Stats.peakRssMiB(connector.pid()), Stats.machine());
        }
    }
}
