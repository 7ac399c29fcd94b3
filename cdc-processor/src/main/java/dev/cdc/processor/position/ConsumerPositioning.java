package dev.cdc.processor.position;

import dev.cdc.processor.apply.Watermark;
import dev.cdc.processor.apply.WatermarkStore;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Positions the consumer of newly assigned partitions from the target's watermarks, not from the committed Kafka
 * offsets (docs/design.md, "Apply once with lineage"): the watermark is what the target really holds. So a target
 * restored from a backup is caught up from Kafka, and a recreated topic (new topic id) is read from its beginning
 * instead of skipping its first records as if they were the old topic's. Each case is said in one log line.
 */
@Singleton
public class ConsumerPositioning {

    private static final Logger log = LoggerFactory.getLogger(ConsumerPositioning.class);

    private final DataSource dataSource;
    private final TopicIds topicIds;

    public ConsumerPositioning(DataSource dataSource, TopicIds topicIds) {
        this.dataSource = dataSource;
        this.topicIds = topicIds;
    }

    /** Must run on the consumer's thread (a rebalance callback). Failures are logged; the committed offsets then stay. */
    public void position(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        Set<String> topics = new TreeSet<>();
        assigned.forEach(tp -> topics.add(tp.topic()));
        topicIds.refresh(topics);
        Map<TopicPartition, Watermark> marks = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String topic : topics) {
                Map<Integer, Watermark> byPartition = WatermarkStore.positions(c, topic);
                for (TopicPartition tp : assigned) {
                    if (tp.topic().equals(topic) && byPartition.containsKey(tp.partition())) {
                        marks.put(tp, byPartition.get(tp.partition()));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not read the watermarks of {} assigned partitions ({}); consuming from the committed offsets, and records the "
                    + "target already has are skipped by their watermark", assigned.size(), e.toString());
            return;
        }
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(marks.keySet());
        for (Map.Entry<TopicPartition, Watermark> e : marks.entrySet()) {
            TopicPartition tp = e.getKey();
            Watermark wm = e.getValue();
            String currentId = topicIds.get(tp.topic());
            if (wm.topicId() != null && currentId != null && !currentId.equals(wm.topicId())) {
                log.warn("Topic {} was deleted and recreated (id {} → {}): reading partition {} from its beginning; changes the target already "
                        + "has are skipped by their source position", tp.topic(), wm.topicId(), currentId, tp.partition());
                consumer.seekToBeginning(List.of(tp));
                continue;
            }
            long committed = consumer.position(tp);
            long beginning = beginnings.getOrDefault(tp, 0L);
            if (wm.nextOffset() < beginning) {
                log.error("The target holds {} only up to offset {}, but the topic starts at {} (retention deleted the rest): records in "
                        + "between cannot be applied from Kafka; resync the table", tp, wm.nextOffset(), beginning);
                continue;
            }
            if (wm.nextOffset() < committed) {
                // Normal while a schema change waits for the topic's other partitions (its watermark stays on it);
                // otherwise the target lost applied rows, e.g. it was restored from a backup.
                log.info("Reading {} from offset {}, the target's watermark, not from the committed offset {} (the partition waits at a "
                        + "schema change, or the target was restored from a backup); records the target has are skipped by their position",
                        tp, wm.nextOffset(), committed);
            }
            consumer.seek(tp, wm.nextOffset());
        }
    }
}
