package dev.cdc.offsets.cli;

import dev.cdc.contract.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The processor's consumer-group lag per topic {@code <prefix>.<db>.<table>}: the last stable offset of each partition
 * (read_committed, so aborted and open transactions do not count) minus the group's committed offset. A partition the
 * group has not committed yet counts from its earliest offset (the processor starts at the earliest).
 */
final class ConsumerLag {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One topic: summed over its partitions. {@code committed} is null when the group committed none of them. */
    record TopicLag(String topic, int partitions, long endOffset, Long committed, long lag, int uncommittedPartitions) {
    }

    private ConsumerLag() {
    }

    static List<TopicLag> measure(String bootstrap, String group, String prefix) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "offsets-cli");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Admin client;
        try {
            client = Admin.create(p);
        } catch (ConfigException e) {
            throw CliException.usage("Kafka bootstrap servers '" + bootstrap + "' are not valid (" + Text.rootCause(e) + ")",
                    "use --kafka-bootstrap host:port[,host:port]");
        } catch (KafkaException e) {
            throw CliException.unreachable("Kafka " + bootstrap + " unreachable (" + Text.rootCause(e) + ")",
                    "check --kafka-bootstrap (KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrap.servers) and that the brokers are running", e);
        }
        try (Admin admin = client) {
            Pattern topics = TopicNames.changeTopicPattern(prefix);
            Set<String> names = get(admin.listTopics().names(), bootstrap);
            List<String> matching = names.stream().filter(n -> topics.matcher(n).matches()).sorted().toList();
            if (matching.isEmpty()) {
                return List.of();
            }
            Map<String, TopicDescription> descriptions = get(admin.describeTopics(matching).allTopicNames(), bootstrap);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (TopicDescription d : descriptions.values()) {
                for (TopicPartitionInfo info : d.partitions()) {
                    TopicPartition tp = new TopicPartition(d.name(), info.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                }
            }
            ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest, committedOnly).all(), bootstrap);
            Map<TopicPartition, ListOffsetsResultInfo> starts = get(admin.listOffsets(earliest, committedOnly).all(), bootstrap);
            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), bootstrap);

            Map<String, long[]> sums = new TreeMap<>(); // partitions, end, committed, lag, uncommitted, anyCommitted
            for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : ends.entrySet()) {
                TopicPartition tp = e.getKey();
                long end = e.getValue().offset();
                OffsetAndMetadata c = committed.get(tp);
                long[] s = sums.computeIfAbsent(tp.topic(), t -> new long[6]);
                s[0]++;
                s[1] += end;
                if (c != null) {
                    s[2] += c.offset();
                    s[3] += Math.max(0, end - c.offset());
                    s[5] = 1;
                } else {
                    s[3] += Math.max(0, end - starts.get(tp).offset());
                    s[4]++;
                }
            }
            List<TopicLag> result = new ArrayList<>();
            sums.forEach((topic, s) -> result.add(new TopicLag(topic, (int) s[0], s[1], s[5] == 1 ? s[2] : null, s[3], (int) s[4])));
            return result;
        }
    }

    private static <T> T get(KafkaFuture<T> future, String bootstrap) {
        try {
            return future.get(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unreachable("Interrupted while asking Kafka " + bootstrap, "run the command again", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw CliException.unreachable("Kafka " + bootstrap + " did not answer (" + Text.rootCause(cause) + ")",
                    "check --kafka-bootstrap (KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrap.servers) and that the brokers are running", e);
        }
    }
}
