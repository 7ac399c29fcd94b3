package dev.cdc.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.processor.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes events as the connector does: transactional, key = primary-key JSON, cdc.* headers. */
final class EventProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    EventProducer(String bootstrapServers, String transactionalId) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        producer.initTransactions();
    }

    /** One record to send: a change event, a tombstone (event null, key given) or raw bytes. */
    record Out(String topic, Integer partition, byte[] key, byte[] value, String position) {
    }

    static Out event(String topic, Integer partition, ObjectNode event) {
        JsonNode source = event.get("source");
        String position = source.path("file").asText() + ":" + source.path("pos").asLong() + ":" + source.path("event").asLong()
                + ":" + source.path("row").asLong();
        return new Out(topic, partition, bytes(event.get("key")), bytes(event), position);
    }

    static Out tombstone(String topic, Integer partition, ObjectNode deleteEvent) {
        return new Out(topic, partition, bytes(deleteEvent.get("key")), null, null);
    }

    static Out raw(String topic, Integer partition, String key, String value) {
        return new Out(topic, partition, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), "binlog.000009:1:1:1");
    }

    /** Sends all records in one Kafka transaction and returns their metadata (offsets). */
    List<RecordMetadata> sendTransaction(List<Out> records) throws Exception {
        producer.beginTransaction();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (Out o : records) {
            RecordHeaders headers = new RecordHeaders();
            if (o.position() != null) {
                headers.add("cdc.position", o.position().getBytes(StandardCharsets.UTF_8));
            }
            headers.add("cdc.epoch", "1".getBytes(StandardCharsets.UTF_8));
            headers.add("cdc.instance", "it-instance".getBytes(StandardCharsets.UTF_8));
            headers.add("cdc.connector", "it".getBytes(StandardCharsets.UTF_8));
            futures.add(producer.send(new ProducerRecord<>(o.topic(), o.partition(), o.key(), o.value(), headers)));
        }
        producer.commitTransaction();
        List<RecordMetadata> metadata = new ArrayList<>();
        for (Future<RecordMetadata> f : futures) {
            metadata.add(f.get());
        }
        return metadata;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return EventParser.JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
