package dev.cdc.connector.publish;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client settings from the {@code kafka.*} keys, for every client the connector creates: TLS
 * ({@code kafka.security.protocol}, {@code kafka.ssl.truststore.location}, ...) and SASL ({@code kafka.sasl.mechanism},
 * {@code kafka.sasl.jaas.config}) reach the startup check's admin client and the producer alike. Each client gets
 * the keys Kafka knows for it; {@code kafka.producer.*} wins for the producer.
 */
public final class KafkaClientSettings {

    private final Map<String, Object> common;
    private final Map<String, Object> producer;

    /**
     * @param kafka    the {@code kafka.*} keys without the prefix (nested maps are skipped)
     * @param producer the {@code kafka.producer.*} keys without the prefix
     */
    public KafkaClientSettings(Map<String, ?> kafka, Map<String, ?> producer) {
        this.common = flat(kafka);
        this.producer = flat(producer);
    }

    /** Settings of the admin client (startup check); bootstrap servers included when configured. */
    public Map<String, Object> admin() {
        return known(common, AdminClientConfig.configNames());
    }

    /** Overrides for the producer: the shared client settings, then {@code kafka.producer.*}. */
    public Map<String, Object> producer() {
        Map<String, Object> out = known(common, ProducerConfig.configNames());
        out.remove(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        out.putAll(producer);
        return out;
    }

    private static Map<String, Object> known(Map<String, Object> settings, Set<String> names) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (names.contains(key)) {
                out.put(key, value);
            }
        });
        return out;
    }

    private static Map<String, Object> flat(Map<String, ?> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (value != null && !(value instanceof Map)) {
                out.put(key, value.toString());
            }
        });
        return out;
    }
}
