package dev.cdc.processor.apply;

import dev.cdc.contract.SourcePosition;
import dev.cdc.processor.event.ChangeEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** What one committed apply transaction did; the metrics are counted from it after the commit. */
public final class ApplyResult {

    private final Map<ChangeEvent.Op, Integer> applied = new EnumMap<>(ChangeEvent.Op.class);
    private final Map<String, Integer> snapshotReads = new java.util.HashMap<>(4);
    private int duplicates;
    private int redelivered;
    private int tombstones;
    private int superseded;
    private final List<GenerationChange> generationChanges = new ArrayList<>(0);
    private final List<SnapshotStart> snapshotStarts = new ArrayList<>(0);
    private final List<TopicRecreated> recreatedTopics = new ArrayList<>(0);
    private final Map<TopicPartition, Long> heldBack = new java.util.LinkedHashMap<>(0);
    private int schemaChangesPassed;

    /** A partition whose changes moved to a newer lineage generation (offsets set or reset, another source server). */
    public record GenerationChange(TopicPartition partition, long from, long to, String server) {
    }

    /** A snapshot of a target table started; its earlier copy ({@code removed} rows) was removed. */
    public record SnapshotStart(String table, SourcePosition start, long removed) {
    }

    /** A partition whose watermark belonged to an earlier topic of the same name. */
    public record TopicRecreated(TopicPartition partition, long previousNextOffset) {
    }

    /** The partition waits on the schema change at {@code offset} until the topic's other partitions reach it too. */
    void holdBack(TopicPartition partition, long offset) {
        heldBack.put(partition, offset);
    }

    /**
     * Partitions stopped at a schema change that other partitions have not reached yet, with the offset of the change:
     * the consumer reads them again from there after a short wait (docs/design.md, "Schema changes").
     */
    public Map<TopicPartition, Long> heldBack() {
        return heldBack;
    }

    void schemaChangePassed() {
        schemaChangesPassed++;
    }

    /** Schema changes that a partition moved past because they are applied on the target. */
    public int schemaChangesPassed() {
        return schemaChangesPassed;
    }

    void generationChanged(TopicPartition partition, long from, long to, String server) {
        generationChanges.add(new GenerationChange(partition, from, to, server));
    }

    void snapshotStarted(String table, SourcePosition start, long removed) {
        snapshotStarts.add(new SnapshotStart(table, start, removed));
    }

    void countSuperseded() {
        superseded++;
    }

    /** Changes older than their table's latest snapshot, skipped. */
    public int superseded() {
        return superseded;
    }

    public List<SnapshotStart> snapshotStarts() {
        return snapshotStarts;
    }

    void topicRecreated(TopicPartition partition, long previousNextOffset) {
        recreatedTopics.add(new TopicRecreated(partition, previousNextOffset));
    }

    public List<GenerationChange> generationChanges() {
        return generationChanges;
    }

    public List<TopicRecreated> recreatedTopics() {
        return recreatedTopics;
    }

    void applied(ChangeEvent.Op op) {
        applied.merge(op, 1, Integer::sum);
    }

    /** As {@link #applied(ChangeEvent.Op)}; a snapshot read is also counted for its target table. */
    void applied(ChangeEvent.Op op, String table) {
        applied(op);
        if (op == ChangeEvent.Op.READ) {
            snapshotReads.merge(table, 1, Integer::sum);
        }
    }

    /** Snapshot reads applied, per target table. */
    public Map<String, Integer> snapshotReads() {
        return snapshotReads;
    }

    void duplicate() {
        duplicates++;
    }

    void countRedelivered() {
        redelivered++;
    }

    void tombstone() {
        tombstones++;
    }

    public Map<ChangeEvent.Op, Integer> applied() {
        return applied;
    }

    public int appliedTotal() {
        return applied.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Streamed events at or below the partition's watermark (re-sent after a connector failover). */
    public int duplicates() {
        return duplicates;
    }

    /** Records below the partition's next offset (seen again after a crash between the target and the Kafka commit). */
    public int redelivered() {
        return redelivered;
    }

    public int tombstones() {
        return tombstones;
    }
}
