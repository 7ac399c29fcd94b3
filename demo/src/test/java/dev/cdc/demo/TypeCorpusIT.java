package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every column type, at the edges of its range, arrives exactly: the corpus (sql/type-corpus-*.sql) is loaded before the
 * connector starts (snapshot) and again while it streams, then updated and partly deleted. Every source table equals its
 * target table row by row, value by value (exact text or bytes, nothing normalised), the target columns have the source's
 * type, character set and collation, and nothing was dead-lettered. MariaDB here; {@link MySqlTypeCorpusIT} runs it on MySQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeCorpusIT {

    static final List<String> SHARED_TABLES = List.of("ty_int", "ty_bit", "ty_decimal", "ty_float", "ty_temporal", "ty_temporal_nn", "ty_text",
            "ty_binary", "ty_enum_set", "ty_json", "ty_spatial", "ty_defaults", "ty_zero_dates");
    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;

    DatabaseKind kind() {
        return DatabaseKind.MARIADB;
    }

    List<String> tables() {
        List<String> tables = new ArrayList<>(SHARED_TABLES);
        tables.add("ty_mariadb");
        return tables;
    }

    /** The fixture files of this server kind, without the {@code -schema}, {@code -rows}, {@code -changes} suffix. */
    List<String> fixtures() {
        return List.of("sql/type-corpus", "sql/type-corpus-zero", "sql/type-corpus-mariadb");
    }

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        stack = LocalStack.start(work, kind(), kind());
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        for (String fixture : fixtures()) {
            SqlScript.runResource(source, fixture + "-schema.sql", Map.of());
            SqlScript.runResource(source, fixture + "-rows.sql", Map.of());
        }
        pipeline = new Pipeline(stack, work.resolve("logs"), "types");
        pipeline.startProcessor();
        pipeline.startConnector("only");
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
    }

    @AfterAll
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyValueArrivesExactlyThroughSnapshotAndStreaming() throws Exception {
        assertEqual("after the snapshot");
        for (String fixture : fixtures()) {
            SqlScript.runResource(source, fixture + "-rows.sql", Map.of());
        }
        for (String fixture : fixtures()) {
            SqlScript.runResource(source, fixture + "-changes.sql", Map.of());
        }
        assertEqual("after streaming");

        List<String> definitions = new ArrayList<>();
        for (String table : tables()) {
            definitions.addAll(ExactTableComparison.definitionDifferences(source, "shop", target, "cdc_target", table));
        }
        assertEquals(List.of(), definitions, "target column types, character sets and collations");
        assertEquals(0, deadLetters(), "records on the dead-letter topic");
    }

    private void assertEqual(String when) throws Exception {
        List<String> diffs = ExactTableComparison.awaitEqual(source, "shop", target, "cdc_target", tables(), TIMEOUT);
        assertTrue(diffs.isEmpty(), "target differs from source " + when + ":\n" + String.join("\n", diffs));
    }

    private int deadLetters() {
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "dlq-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed", "allow.auto.create.topics", "false");
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(pipeline.connectorName() + ".dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println("dead letter: " + r.headers() + " " + (r.value() == null ? null : new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
                    count++;
                }
            }
        }
        return count;
    }
}
