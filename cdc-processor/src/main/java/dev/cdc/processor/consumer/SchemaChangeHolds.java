package dev.cdc.processor.consumer;

import dev.cdc.processor.apply.ApplyResult;
import dev.cdc.processor.config.ProcessorConfig;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions the applier held at a schema change that other partitions of the topic have not reached yet
 * ({@link ApplyResult#heldBack()}, docs/design.md "Schema changes"): their offset stays on the change, and the consumer
 * reads them again from there after {@code retry-backoff}, by which time the change may be applied.
 */
@Singleton
class SchemaChangeHolds {

    private final ProcessorConfig config;
    private final PartitionBackoff backoff;

    SchemaChangeHolds(ProcessorConfig config, PartitionBackoff backoff) {
        this.config = config;
        this.backoff = backoff;
    }

    /** Sets the held partitions' offsets in {@code offsets} to their change, seeks and pauses them; true if any. */
    boolean hold(Consumer<byte[], byte[]> c, ApplyResult result, Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, Long> held = result.heldBack();
        if (held.isEmpty()) {
            return false;
        }
        held.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        Seeks.to(c, held);
        backoff.pause(c, held.keySet(), config.getRetryBackoff());
        return true;
    }
}
