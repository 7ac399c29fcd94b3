package dev.cdc.connector.publish;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Startup check: the Kafka cluster answers within a bounded wait. */
public final class KafkaReadiness {

    private KafkaReadiness() {
    }

    /** @param clientSettings TLS/SASL and other admin client settings from {@code kafka.*} */
    public static void await(String bootstrapServers, Map<String, Object> clientSettings, Duration timeout) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw OperatorFailure.configuration("kafka.bootstrap.servers is not set", "set it (or KAFKA_BOOTSTRAP_SERVERS) to host:port of the Kafka brokers");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            last = e;
        }
        throw new OperatorFailure(ExitStatus.UNREACHABLE, "Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s ("
                + (last == null ? "no brokers" : last.getClass().getSimpleName()) + ")", "check kafka.bootstrap.servers and that the brokers are running");
    }
}
