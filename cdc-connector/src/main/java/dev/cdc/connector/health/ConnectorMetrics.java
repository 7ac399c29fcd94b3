package dev.cdc.connector.health;

import dev.cdc.connector.engine.BatchHandler;
import dev.cdc.connector.leader.LeadershipLoop;
import dev.cdc.contract.BinlogCoordinates;
import dev.cdc.offsets.Lease;
import dev.cdc.offsets.LineageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Role, epoch, failovers and progress of this instance, as Micrometer meters ({@code cdc.connector.*})
 * and as the state the health endpoint reports.
 */
@Singleton
public class ConnectorMetrics implements LeadershipLoop.Observer, BatchHandler.Progress {

    private static final Logger log = LoggerFactory.getLogger(ConnectorMetrics.class);

    private final AtomicLong active = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong fileSequence = new AtomicLong();
    private final AtomicLong position = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();
    private final Counter generationChanges;
    private final Counter acquisitions;
    private final Counter published;
    private final Timer batchTimer;
    private volatile long acquiredAtNanos;
    private volatile boolean firstPublishedInTerm;
    private volatile BinlogCoordinates lastPosition;
    private volatile Instant lastPublishedAt;
    private volatile String lastRoleChange = "starting";

    private final SnapshotMonitor snapshot;

    public ConnectorMetrics(MeterRegistry registry, SnapshotMonitor snapshot) {
        this.snapshot = snapshot;
        registry.gauge("cdc.connector.active", active);
        registry.gauge("cdc.connector.epoch", epoch);
        registry.gauge("cdc.connector.position.file.sequence", fileSequence);
        registry.gauge("cdc.connector.position.pos", position);
        registry.gauge("cdc.connector.lineage.generation", generation);
        this.generationChanges = Counter.builder("cdc.connector.lineage.changes")
                .description("New lineage generations started by this instance because the source server changed").register(registry);
        this.acquisitions = Counter.builder("cdc.connector.leadership.acquired")
                .description("Times this instance became the active one (failovers to it, and the first start)").register(registry);
        this.published = Counter.builder("cdc.connector.records.published").description("Change events committed to Kafka").register(registry);
        this.batchTimer = Timer.builder("cdc.connector.batch.publish").description("Transform + Kafka transaction + offset commit of one batch")
                .register(registry);
    }

    @Override
    public void roleChanged(LeadershipLoop.Role role, Lease lease, String reason) {
        lastRoleChange = role + ": " + reason;
        if (role == LeadershipLoop.Role.ACTIVE) {
            acquisitions.increment();
            active.set(1);
            epoch.set(lease.epoch());
            acquiredAtNanos = System.nanoTime();
            firstPublishedInTerm = false;
        } else {
            active.set(0);
        }
    }

    @Override
    public void published(int records, BinlogCoordinates lastCommitted, long nanos) {
        published.increment(records);
        batchTimer.record(nanos, TimeUnit.NANOSECONDS);
        lastPublishedAt = Instant.now();
        if (lastCommitted != null) {
            lastPosition = lastCommitted;
            if (lastCommitted.file() != null) {
                try {
                    fileSequence.set(lastCommitted.fileSequence());
                } catch (IllegalArgumentException notNumbered) {
                    // Only the gauge misses it; the position is still reported on /health.
                }
            }
            position.set(lastCommitted.pos());
        }
        BinlogCoordinates last = lastPosition;
        if (!firstPublishedInTerm && records > 0) {
            firstPublishedInTerm = true;
            log.info("First {} events of epoch {} published {} ms after taking the lease, up to {}", records, epoch.get(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acquiredAtNanos), last);
        }
    }

    @Override
    public void committed(java.util.List<org.apache.kafka.connect.source.SourceRecord> records) {
        snapshot.progress().committed(records);
    }

    /** The lineage of the current term. */
    public void lineage(LineageStore.Lineage lineage) {
        generation.set(lineage.generation());
        if (lineage.bumped()) {
            generationChanges.increment();
        }
    }

    public long generation() {
        return generation.get();
    }

    public boolean isActive() {
        return active.get() == 1;
    }

    public long epoch() {
        return epoch.get();
    }

    public BinlogCoordinates lastPosition() {
        return lastPosition;
    }

    public Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    public String lastRoleChange() {
        return lastRoleChange;
    }
}
