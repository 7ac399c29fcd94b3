package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.MySqlBinaries;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link PipelineIT}'s scenarios (snapshot, streaming, primary-key change, added columns, every column type) with
 * MySQL as the source (Debezium's MySQL connector, MySQL GTIDs) and MySQL as the target and the shared store.
 */
class MySqlPipelineIT extends PipelineIT {

    @Override
    DatabaseKind[] servers() {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        return new DatabaseKind[] {DatabaseKind.MYSQL, DatabaseKind.MYSQL};
    }

    @Test
    void streamedEventsCarryMySqlGtids() throws Exception {
        try (Statement s = source.createStatement()) {
            s.execute("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('gtid@example.com', 'Gtid', 1.00, NOW(6))");
        }
        Map<String, Object> cfg = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "gtid-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed");
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("pipe.shop.customers"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = r.value() == null ? null : json.readTree(r.value());
                    if (event != null && "gtid@example.com".equals(event.path("after").path("email").asText())) {
                        String gtid = event.path("source").path("gtid").asText();
                        assertTrue(gtid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\\d+"),
                                "a MySQL GTID (server uuid:sequence): " + event);
                        assertTrue(event.path("source").path("file").asText().startsWith("binlog."), event.toString());
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the insert did not arrive on pipe.shop.customers within 60 s");
    }
}
