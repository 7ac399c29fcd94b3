package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One record of a batch, ready to apply: its parsed event (null for a tombstone), the target table's name and its
 * structure after any DDL the event needed (null for a tombstone or a snapshot marker).
 */
record PreparedChange(ConsumerRecord<byte[], byte[]> record, ChangeEvent event, String table, TargetTable structure) {

    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }
}
