package dev.cdc.processor.position;

import dev.cdc.processor.config.KafkaClientSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka topic ids of the change topics, read when partitions are assigned. A deleted and recreated topic keeps its
 * name but gets a new id and starts its offsets again at 0, so an offset is only meaningful together with the id.
 */
@Singleton
public class TopicIds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicIds.class);
    private static final long DESCRIBE_TIMEOUT_MS = 10_000;

    private final KafkaClientSettings kafka;
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    private Admin admin;

    public TopicIds(KafkaClientSettings kafka) {
        this.kafka = kafka;
    }

    /** Reads the current ids of {@code topics}; on failure the previous ones stay and the failure is logged. */
    public synchronized void refresh(Collection<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            if (admin == null) {
                admin = Admin.create(kafka.admin("cdc-processor-topic-ids"));
            }
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(DESCRIBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            described.forEach((name, d) -> ids.put(name, d.topicId().toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Could not read the ids of topics {} ({}); a topic recreated meanwhile is recognised at its next assignment", topics.size(),
                    e.toString());
        }
    }

    /** The id of {@code topic} as last read, or null when unknown. */
    public String get(String topic) {
        return ids.get(topic);
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
