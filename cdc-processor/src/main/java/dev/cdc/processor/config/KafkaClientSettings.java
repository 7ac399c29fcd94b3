package dev.cdc.processor.config;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka client properties from the {@code kafka.*} configuration keys ({@code kafka.bootstrap.servers},
 * {@code kafka.security.protocol}, ...). Each client gets the keys Kafka knows for it; the settings the
 * processor's correctness depends on (read_committed, no auto commit, byte-array payloads) are fixed here.
 */
@Singleton
public class KafkaClientSettings {

    public static final String BOOTSTRAP_SERVERS_KEY = "kafka.bootstrap.servers";
    /** Pattern subscriptions see new topics (new tables) only after a metadata refresh; Kafka's default is 5 min. */
    public static final int DEFAULT_METADATA_MAX_AGE_MS = 10_000;

    private final Map<String, Object> configured;

    public KafkaClientSettings(Environment environment) {
        Map<String, Object> raw = environment.getProperties("kafka", StringConvention.RAW);
        Map<String, Object> props = new HashMap<>();
        raw.forEach((key, value) -> {
            if (value != null && !(value instanceof Map)) {
                props.put(key, value.toString());
            }
        });
        environment.getProperty(BOOTSTRAP_SERVERS_KEY, String.class).ifPresent(v -> props.put("bootstrap.servers", v));
        this.configured = props;
    }

    /** The configured bootstrap servers, or null. */
    public String bootstrapServers() {
        Object servers = configured.get("bootstrap.servers");
        return servers == null || servers.toString().isBlank() ? null : servers.toString();
    }

    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> props = known(ConsumerConfig.configNames());
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, String.valueOf(DEFAULT_METADATA_MAX_AGE_MS));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    public Map<String, Object> producer(String clientId) {
        Map<String, Object> props = known(ProducerConfig.configNames());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    public Map<String, Object> admin(String clientId) {
        Map<String, Object> props = known(AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    private Map<String, Object> known(Set<String> names) {
        Map<String, Object> props = new HashMap<>();
        configured.forEach((key, value) -> {
            if (names.contains(key)) {
                props.put(key, value);
            }
        });
        return props;
    }
}
