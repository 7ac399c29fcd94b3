package dev.cdc.connector.health;

import dev.cdc.connector.config.ConnectorSettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

/** /health: UP in both roles (a standby is healthy); details say which role, epoch and position. */
@Singleton
public class ConnectorHealthIndicator implements HealthIndicator {

    private final ConnectorMetrics metrics;
    private final ConnectorSettings settings;

    public ConnectorHealthIndicator(ConnectorMetrics metrics, ConnectorSettings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connector", settings.getName());
        details.put("instance", settings.getInstanceId());
        details.put("role", metrics.isActive() ? "active" : "standby");
        details.put("epoch", metrics.epoch());
        details.put("lastRoleChange", metrics.lastRoleChange());
        details.put("generation", metrics.generation());
        if (metrics.lastPosition() != null) {
            details.put("lastCommittedPosition", metrics.lastPosition().toString());
            details.put("lastPublishedAt", metrics.lastPublishedAt().toString());
        }
        return Publishers.just(HealthResult.builder("cdcConnector", HealthStatus.UP).details(details).build());
    }
}
