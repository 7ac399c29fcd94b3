package dev.cdc.connector.health;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.snapshot.SnapshotProgress;
import dev.cdc.connector.snapshot.SnapshotProgressLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot's progress as meters ({@code cdc.connector.snapshot.*}, per table) and as one log line every
 * {@code cdc.snapshot.progress-log-interval}; /health reads {@link #progress()}.
 */
@Singleton
public class SnapshotMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotMonitor.class);

    private final SnapshotProgress progress = new SnapshotProgress(System::nanoTime);
    private final MeterRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final SnapshotProgressLog progressLog;

    public SnapshotMonitor(MeterRegistry registry, ConnectorSettings settings) {
        this.registry = registry;
        Gauge.builder("cdc.connector.snapshot.running", progress, p -> p.state() == SnapshotProgress.State.RUNNING ? 1 : 0)
                .description("1 while this instance's engine is taking a snapshot").register(registry);
        progress.onNewTable(this::registerTable);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "snapshot-progress-log");
            t.setDaemon(true);
            return t;
        });
        progressLog = new SnapshotProgressLog(progress, settings.getName(), log::info);
        progressLog.start(scheduler, settings.getSnapshot().getProgressLogInterval());
    }

    public SnapshotProgress progress() {
        return progress;
    }

    private void registerTable(String table) {
        gauge("cdc.connector.snapshot.rows", table, "Snapshot rows of the table committed to Kafka in this term", t -> t.rows());
        gauge("cdc.connector.snapshot.rows.estimated", table, "The source's row estimate of the table (table statistics)",
                t -> t.estimatedRows());
        gauge("cdc.connector.snapshot.percent", table, "Snapshot progress of the table, 0-100 (100 only after its last row)",
                t -> t.percent());
        gauge("cdc.connector.snapshot.rows.per.second", table, "Snapshot rows per second of the table", t -> t.rowsPerSecond());
        gauge("cdc.connector.snapshot.eta.seconds", table, "Estimated seconds until the table's snapshot ends (-1 unknown)",
                t -> t.etaSeconds());
    }

    private void gauge(String name, String table, String description, ToDoubleFunction<SnapshotProgress.TableProgress> value) {
        Gauge.builder(name, progress, p -> {
            SnapshotProgress.TableProgress t = p.table(table);
            return t == null ? Double.NaN : value.applyAsDouble(t);
        }).tag("table", table).description(description).register(registry);
    }

    @PreDestroy
    @Override
    public void close() {
        progressLog.close();
        scheduler.shutdownNow();
    }
}
