package dev.cdc.connector.health;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.snapshot.SnapshotProgress;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

/**
 * /health: UP in both roles (a standby is healthy); details say which role, epoch and position, and, once this term
 * has taken a snapshot, its progress per table ({@code snapshot}).
 */
@Singleton
public class ConnectorHealthIndicator implements HealthIndicator {

    private final ConnectorMetrics metrics;
    private final ConnectorSettings settings;
    private final SnapshotMonitor snapshot;

    public ConnectorHealthIndicator(ConnectorMetrics metrics, ConnectorSettings settings, SnapshotMonitor snapshot) {
        this.metrics = metrics;
        this.settings = settings;
        this.snapshot = snapshot;
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
        SnapshotProgress.View view = snapshot.progress().view();
        if (view.state() != SnapshotProgress.State.IDLE) {
            details.put("snapshot", snapshotDetails(view));
        }
        return Publishers.just(HealthResult.builder("cdcConnector", HealthStatus.UP).details(details).build());
    }

    private static Map<String, Object> snapshotDetails(SnapshotProgress.View view) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", view.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("kind", view.kind());
        out.put("rows", view.rows());
        out.put("estimatedRows", view.estimatedRows());
        out.put("tablesDone", view.tablesDone());
        out.put("tablesTotal", view.tables().size());
        Map<String, Object> tables = new LinkedHashMap<>();
        for (SnapshotProgress.TableProgress t : view.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("rows", t.rows());
            table.put("estimatedRows", t.estimatedRows());
            table.put("percent", t.percent());
            table.put("rowsPerSecond", t.rowsPerSecond());
            table.put("etaSeconds", t.etaSeconds());
            table.put("done", t.done());
            tables.put(t.table(), table);
        }
        out.put("tables", tables);
        return out;
    }
}
