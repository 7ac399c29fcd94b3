package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.schema.SchemaChange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One record of a batch, ready to apply: its parsed event (null for a tombstone), the target table's name and its
 * structure after any DDL the event needed (null for a tombstone, a snapshot marker, a schema change or a record the
 * target holds already). A schema change carries {@code change}; {@code barrier} when it waits for every partition of its
 * topic ({@link SchemaChangeRound}).
 */
record PreparedChange(ConsumerRecord<byte[], byte[]> record, ChangeEvent event, String table, TargetTable structure,
                      SchemaChange change, boolean barrier) {

    PreparedChange(ConsumerRecord<byte[], byte[]> record, ChangeEvent event, String table, TargetTable structure) {
        this(record, event, table, structure, null, false);
    }

    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }
}
