package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.position.TopicIds;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the target already holds, read before the apply transaction without locks (watermarks only move forward): a
 * record applied before (seen again after a failure, a rebalance or a restart) must not create or extend a table with
 * its old columns, nor re-create a table dropped since. The transaction's own test on the locked watermark still decides
 * what is applied.
 */
final class AppliedWatermarks {

    private final Map<TopicPartition, Watermark> marks;
    private final TopicIds topicIds;

    private AppliedWatermarks(Map<TopicPartition, Watermark> marks, TopicIds topicIds) {
        this.marks = marks;
        this.topicIds = topicIds;
    }

    /** Nothing counts as applied (a replay: the watermark is past the record on purpose). */
    static AppliedWatermarks none(TopicIds topicIds) {
        return new AppliedWatermarks(Map.of(), topicIds);
    }

    static AppliedWatermarks read(DataSource dataSource, List<ConsumerRecord<byte[], byte[]>> records, TopicIds topicIds) throws SQLException {
        Set<String> topics = new TreeSet<>();
        records.forEach(r -> topics.add(r.topic()));
        Map<TopicPartition, Watermark> marks = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String topic : topics) {
                WatermarkStore.positions(c, topic).forEach((partition, wm) -> marks.put(new TopicPartition(topic, partition), wm));
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        return new AppliedWatermarks(marks, topicIds);
    }

    /** True when the record is applied already (the transaction's test, on a possibly older state). */
    boolean holds(ConsumerRecord<byte[], byte[]> record, ChangeEvent event) {
        Watermark wm = marks.get(new TopicPartition(record.topic(), record.partition()));
        if (wm == null) {
            return false;
        }
        String currentId = topicIds.get(record.topic());
        if (wm.topicId() != null && currentId != null && !currentId.equals(wm.topicId())) {
            return false;
        }
        if (record.offset() < wm.nextOffset()) {
            return true;
        }
        return !event.snapshot() && event.op() != ChangeEvent.Op.READ && event.op() != ChangeEvent.Op.SNAPSHOT_STARTED
                && event.position() != null && event.position().isAtOrBelow(wm.position());
    }
}
