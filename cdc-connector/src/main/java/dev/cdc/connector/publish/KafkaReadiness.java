package dev.cdc.connector.publish;

import dev.cdc.connector.StartupCheckException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Startup check: the Kafka cluster answers within a bounded wait. */
public final class KafkaReadiness {

    private KafkaReadiness() {
    }

    public static void await(String bootstrapServers, Duration timeout) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new StartupCheckException("kafka.bootstrap.servers is not set: set it (or KAFKA_BOOTSTRAP_SERVERS) to host:port of the Kafka brokers");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000))) {
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
        throw new StartupCheckException("Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s ("
                + (last == null ? "no brokers" : last.getClass().getSimpleName()) + "): check kafka.bootstrap.servers and that the brokers are running");
    }
}
