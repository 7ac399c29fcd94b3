package dev.cdc.processor.consumer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moving the consumer back to records that must be polled again, and committing what the target already holds. */
final class Seeks {

    private static final Logger log = LoggerFactory.getLogger(Seeks.class);

    private Seeks() {
    }

    /** Seeks every partition that has records in {@code records} back to the first of them. */
    static void back(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        to(c, first);
    }

    /** Seeks each partition of {@code offsets} that is still assigned to its offset. */
    static void to(Consumer<byte[], byte[]> c, Map<TopicPartition, Long> offsets) {
        Set<TopicPartition> assigned = c.assignment();
        offsets.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                c.seek(tp, offset);
            }
        });
    }

    /** The next offset of every partition in {@code records}. */
    static Map<TopicPartition, OffsetAndMetadata> next(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return offsets;
    }

    /**
     * Commits consumer offsets after the target transaction, asynchronously: the target already recorded the next
     * offset of each partition (the watermark), so a commit that is late or lost only means records the target skips
     * when they come again.
     */
    static void commit(Consumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        c.commitAsync(Map.copyOf(offsets), (committed, e) -> {
            if (e != null) {
                log.warn("Could not commit Kafka offsets {} ({}); the target already has these records and will skip them if they come again",
                        committed, e.toString());
            }
        });
        offsets.clear();
    }
}
