package dev.cdc.processor.apply;

import dev.cdc.processor.position.TopicIds;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The watermarks ({@link WatermarkStore}) of the partitions one apply transaction touches: locked together at its start,
 * moved record by record, and the changed ones saved just before its commit.
 */
final class BatchWatermarks {

    /** One global lock order, so that two instances sharing partitions during a rebalance cannot deadlock. */
    static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Map<TopicPartition, Watermark> marks;
    private final TopicIds topicIds;

    private BatchWatermarks(Map<TopicPartition, Watermark> marks, TopicIds topicIds) {
        this.marks = marks;
        this.topicIds = topicIds;
    }

    static BatchWatermarks lock(Connection c, Collection<TopicPartition> partitions, TopicIds topicIds) throws SQLException {
        Map<TopicPartition, Watermark> marks = new TreeMap<>(PARTITION_ORDER);
        marks.putAll(WatermarkStore.lockAll(c, partitions));
        return new BatchWatermarks(marks, topicIds);
    }

    /** The partition's watermark, tied to the topic's current id first. */
    Watermark of(TopicPartition partition, ApplyResult result) {
        Watermark wm = marks.get(partition);
        followTopicId(wm, topicIds, result);
        return wm;
    }

    void save(Connection c) throws SQLException {
        WatermarkStore.saveAll(c, marks.values().stream().filter(wm -> wm.dirty).toList());
    }

    /**
     * Ties the watermark's next offset to the topic's current id: when the topic was deleted and recreated, its offsets
     * start again at 0, and the old next offset must not make the new topic's first records look redelivered.
     */
    static void followTopicId(Watermark wm, TopicIds topicIds, ApplyResult result) {
        String current = topicIds.get(wm.topic);
        if (current == null || current.equals(wm.topicId)) {
            return;
        }
        if (wm.topicId != null) {
            result.topicRecreated(new TopicPartition(wm.topic, wm.partition), wm.nextOffset);
            wm.nextOffset = 0;
        }
        wm.topicId = current;
        wm.dirty = true;
    }
}
