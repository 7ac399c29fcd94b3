package dev.cdc.processor.metrics;

import dev.cdc.processor.apply.ApplyResult;
import dev.cdc.processor.event.ChangeEvent;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/**
 * The processor's counters (Micrometer; on /metrics and, as {@code cdc_processor_applied_total} etc., on /prometheus).
 * Counts are added only after the target transaction committed.
 */
@Singleton
public class ProcessorMetrics {

    private static final Logger log = LoggerFactory.getLogger(ProcessorMetrics.class);

    public static final String APPLIED = "cdc.processor.applied";
    public static final String DUPLICATES_SKIPPED = "cdc.processor.duplicates.skipped";
    public static final String REDELIVERED_SKIPPED = "cdc.processor.redelivered.skipped";
    public static final String TOMBSTONES_IGNORED = "cdc.processor.tombstones.ignored";
    public static final String DEAD_LETTERED = "cdc.processor.dead.lettered";
    public static final String RETRIES = "cdc.processor.retries";
    public static final String LINEAGE_CHANGES = "cdc.processor.lineage.changes";
    public static final String TOPICS_RECREATED = "cdc.processor.topics.recreated";
    public static final String SNAPSHOTS_STARTED = "cdc.processor.snapshots.started";
    public static final String SUPERSEDED_SKIPPED = "cdc.processor.superseded.skipped";
    public static final String SNAPSHOT_ROWS_APPLIED = "cdc.processor.snapshot.rows.applied";

    /** Why a retry happened: the target (or the DLQ broker) was unavailable, or a record failed on its data. */
    public enum RetryReason { TRANSIENT, DATA }

    private final Map<ChangeEvent.Op, Counter> applied = new EnumMap<>(ChangeEvent.Op.class);
    private final Counter duplicates;
    private final Counter redelivered;
    private final Counter tombstones;
    private final Counter deadLettered;
    private final Counter lineageChanges;
    private final Counter topicsRecreated;
    private final Counter snapshotsStarted;
    private final Counter superseded;
    private final Map<RetryReason, Counter> retries = new EnumMap<>(RetryReason.class);
    private final Map<String, Counter> snapshotRows = new java.util.concurrent.ConcurrentHashMap<>();
    private final MeterRegistry registry;

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ChangeEvent.Op op : ChangeEvent.Op.values()) {
            if (op == ChangeEvent.Op.SNAPSHOT_STARTED) {
                continue;
            }
            applied.put(op, Counter.builder(APPLIED).tag("op", op.code())
                    .description("Change records applied to the target, by op (c, u, d, r)").register(registry));
        }
        duplicates = Counter.builder(DUPLICATES_SKIPPED)
                .description("Streamed changes at or below the partition's applied source position, skipped (re-sent after a connector failover)")
                .register(registry);
        redelivered = Counter.builder(REDELIVERED_SKIPPED)
                .description("Records below the partition's applied Kafka offset, skipped (seen again after a restart before the offset commit)")
                .register(registry);
        tombstones = Counter.builder(TOMBSTONES_IGNORED).description("Tombstones (null values) ignored").register(registry);
        deadLettered = Counter.builder(DEAD_LETTERED).description("Poison records published to the dead-letter topic").register(registry);
        lineageChanges = Counter.builder(LINEAGE_CHANGES)
                .description("Partitions whose changes moved to a newer lineage generation (offsets set or reset, another source server)")
                .register(registry);
        topicsRecreated = Counter.builder(TOPICS_RECREATED)
                .description("Partitions found to belong to a deleted and recreated topic (offsets started again at 0)").register(registry);
        snapshotsStarted = Counter.builder(SNAPSHOTS_STARTED)
                .description("Snapshots of target tables started (each removed the table's earlier copy)").register(registry);
        superseded = Counter.builder(SUPERSEDED_SKIPPED)
                .description("Changes older than their table's latest snapshot, skipped (the snapshot holds their effect)").register(registry);
        for (RetryReason reason : RetryReason.values()) {
            retries.put(reason, Counter.builder(RETRIES).tag("reason", reason.name().toLowerCase())
                    .description("Retries after a failed apply: transient (target unavailable) or data (poison record)").register(registry));
        }
    }

    public void committed(ApplyResult result) {
        result.applied().forEach((op, n) -> applied.get(op).increment(n));
        result.snapshotReads().forEach((table, n) -> snapshotRows.computeIfAbsent(table, t -> Counter.builder(SNAPSHOT_ROWS_APPLIED).tag("table", t)
                .description("Snapshot reads (op r) applied to the target table: with the connector's cdc_connector_snapshot_rows, "
                        + "how far the target is behind the snapshot").register(registry)).increment(n));
        duplicates.increment(result.duplicates());
        redelivered.increment(result.redelivered());
        tombstones.increment(result.tombstones());
        for (ApplyResult.GenerationChange g : result.generationChanges()) {
            lineageChanges.increment();
            log.info("{}: lineage generation {} → {} (source server {}): the connector's offsets were set or reset, or its source changed; "
                    + "every change of the new generation is applied", g.partition(), g.from(), g.to(), g.server() == null ? "unknown" : g.server());
        }
        superseded.increment(result.superseded());
        for (ApplyResult.SnapshotStart s : result.snapshotStarts()) {
            snapshotsStarted.increment();
            log.info("Snapshot of table {} starts at {}: removed the {} rows of its earlier copy; changes older than the snapshot are "
                    + "superseded", s.table(), s.start(), s.removed());
        }
        for (ApplyResult.TopicRecreated t : result.recreatedTopics()) {
            topicsRecreated.increment();
            log.warn("{}: the topic was deleted and recreated; its offsets start again at 0 (the old topic ended at {}), so no record of it is "
                    + "taken for a redelivery", t.partition(), t.previousNextOffset());
        }
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void retry(RetryReason reason) {
        retries.get(reason).increment();
    }
}
