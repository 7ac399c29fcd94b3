package dev.cdc.processor.config;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka client properties from the {@code kafka.*} configuration keys ({@code kafka.bootstrap.servers},
 * {@code kafka.security.protocol}, ...) for the clients the processor creates itself: the dead-letter producer and
 * the startup check's admin client. Each gets the keys Kafka knows for it. The change consumer is micronaut-kafka's
 * (see {@code ChangeListener}), which reads {@code kafka.*} and {@code kafka.consumers.<group-id>.*} itself.
 */
@Singleton
public class KafkaClientSettings {

    public static final String BOOTSTRAP_SERVERS_KEY = "kafka.bootstrap.servers";

    private final Map<String, Object> configured;

    public KafkaClientSettings(Environment environment) {
        // Keys from environment variables (KAFKA_SECURITY_PROTOCOL) appear only in the normalized view, in every
        // dot/dash spelling (known() keeps Kafka's); keys from files and system properties keep theirs in the raw view.
        Map<String, Object> raw = new HashMap<>(environment.getProperties("kafka"));
        raw.putAll(environment.getProperties("kafka", StringConvention.RAW));
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
