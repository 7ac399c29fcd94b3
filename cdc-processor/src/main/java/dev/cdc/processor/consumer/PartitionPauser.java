package dev.cdc.processor.consumer;

import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Pauses and resumes partitions of the listener's consumer. */
interface PartitionPauser {

    /** @return false when the consumer cannot be paused from here (then the caller waits on its own thread) */
    boolean pause(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);
}
