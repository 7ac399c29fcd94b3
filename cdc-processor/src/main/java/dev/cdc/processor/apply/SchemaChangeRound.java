package dev.cdc.processor.apply;

import dev.cdc.processor.schema.SchemaChangeApplier;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The schema changes of one apply round that wait for every partition of their topic (docs/design.md "Schema changes"):
 * a partition stops at such a change, its later records are kept out of the round, and the round's transaction records
 * that it arrived. After the commit the change is applied if every copy arrived; then the partition moves past it and
 * its kept records make the next round. Otherwise the partition is held back on the change ({@link ApplyResult#heldBack()}).
 */
final class SchemaChangeRound {

    /** Moves a partition's watermark past a record (the applied change). */
    interface PastRecord {
        void skipPast(ConsumerRecord<byte[], byte[]> record) throws ApplyFailure;
    }

    /** Per partition stopped at a change: the records after it, applied only once the change is. */
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> behind = new LinkedHashMap<>();
    private final List<PreparedChange> arrived = new ArrayList<>();

    /** True when the record's partition stopped at a change earlier in this round: the record is kept for later. */
    boolean keeps(ConsumerRecord<byte[], byte[]> record) {
        List<ConsumerRecord<byte[], byte[]>> kept = behind.get(new TopicPartition(record.topic(), record.partition()));
        if (kept == null) {
            return false;
        }
        kept.add(record);
        return true;
    }

    void stopsAt(PreparedChange barrier) {
        behind.put(barrier.partition(), new ArrayList<>());
    }

    /** The partition applied every row before the change in this round's transaction. */
    void arrived(PreparedChange barrier) {
        arrived.add(barrier);
    }

    /**
     * After the round's commit: completes each arrived change (applies it once every copy arrived) and returns the records
     * that may follow at once. Partitions whose change turned out to be passed already continue too.
     */
    List<ConsumerRecord<byte[], byte[]>> next(SchemaChangeApplier schemaChanges, PastRecord past, ApplyResult result) throws ApplyFailure {
        List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
        for (PreparedChange barrier : arrived) {
            boolean applied;
            try {
                applied = schemaChanges.tryComplete(barrier.change());
            } catch (SQLException | RuntimeException e) {
                throw ApplyFailure.of(e, barrier.record());
            }
            List<ConsumerRecord<byte[], byte[]>> kept = behind.remove(barrier.partition());
            if (applied) {
                past.skipPast(barrier.record());
                result.schemaChangePassed();
                next.addAll(kept);
            } else {
                result.holdBack(barrier.partition(), barrier.record().offset());
            }
        }
        behind.values().forEach(next::addAll);
        return next;
    }
}
