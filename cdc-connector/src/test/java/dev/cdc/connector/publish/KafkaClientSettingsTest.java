package dev.cdc.connector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    private final KafkaClientSettings settings = new KafkaClientSettings(
            Map.of("bootstrap.servers", "k:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                    "ssl.truststore.location", "/etc/kafka/ca.p12", "producer.compression.type", "zstd", "unknown.key", "x",
                    "producer", Map.of("linger.ms", "1")),
            Map.of("compression.type", "zstd", "security.protocol", "SSL"));

    @Test
    void tlsAndSaslReachTheAdminClient() {
        Map<String, Object> admin = settings.admin();
        assertEquals("SASL_SSL", admin.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", admin.get("sasl.mechanism"));
        assertEquals("/etc/kafka/ca.p12", admin.get("ssl.truststore.location"));
        assertFalse(admin.containsKey("unknown.key"));
        assertFalse(admin.containsKey("compression.type"));
    }

    @Test
    void theProducerGetsTheSharedSettingsAndItsOwnWin() {
        Map<String, Object> producer = settings.producer();
        assertEquals("SSL", producer.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", producer.get("sasl.mechanism"));
        assertEquals("/etc/kafka/ca.p12", producer.get("ssl.truststore.location"));
        assertEquals("zstd", producer.get("compression.type"));
        assertFalse(producer.containsKey("bootstrap.servers"));
        assertFalse(producer.containsKey("unknown.key"));
    }
}
