package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.EventParser;
import dev.cdc.processor.position.TopicIds;
import dev.cdc.processor.schema.SchemaChangeApplier;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The apply transaction and its order: all records given are applied in one target transaction, in order, together
 * with the watermark of every partition involved ({@link WatermarkStore}). A record below the partition's next offset is
 * skipped as redelivered (unless the offset belongs to an earlier topic of the same name); a streamed change (c/u/d) at
 * or below the partition's source position, lineage generation first, is skipped as a duplicate; snapshot reads (r) are
 * idempotent upserts without the position test and do not move the position; a change older than its table's latest
 * snapshot is superseded ({@link SnapshotSupersession}). Tombstones (null values) are ignored.
 *
 * <p>The records are parsed and their tables made ready first ({@link ChangePreparer}, DDL outside the transaction);
 * {@link RowWriter} turns each row change into statements.
 *
 * <p>Schema changes (op s): a CREATE TABLE is applied before the transaction; any other change stops its partition
 * until every partition of the topic reached it ({@link SchemaChangeApplier}, docs/design.md "Schema changes"). The
 * records of that partition after the change wait: they are applied in a further round once the change is applied, or
 * handed back in {@link ApplyResult#heldBack()} when other partitions still have older rows to apply
 * ({@link SchemaChangeRound}).
 */
@Singleton
public class BatchApplier {

    private final ChangePreparer preparer;
    private final TargetTransactions transactions;
    private final TopicIds topicIds;
    private final SchemaChangeApplier schemaChanges;
    private final RowWriter rows = new RowWriter();

    public BatchApplier(ChangePreparer preparer, TargetTransactions transactions, TopicIds topicIds, SchemaChangeApplier schemaChanges) {
        this.preparer = preparer;
        this.transactions = transactions;
        this.topicIds = topicIds;
        this.schemaChanges = schemaChanges;
    }

    /**
     * Applies {@code records} in one target transaction; on failure everything is rolled back. Records behind a schema
     * change that waits for other partitions follow in further transactions, or are held back (see the class comment).
     */
    public ApplyResult apply(List<ConsumerRecord<byte[], byte[]>> records) throws ApplyFailure {
        ApplyResult result = new ApplyResult();
        List<ConsumerRecord<byte[], byte[]>> round = records;
        while (!round.isEmpty()) {
            round = applyRound(round, result);
        }
        return result;
    }

    /** One transaction; returns the records that may follow at once because the schema change before them is applied. */
    private List<ConsumerRecord<byte[], byte[]>> applyRound(List<ConsumerRecord<byte[], byte[]>> records, ApplyResult result) throws ApplyFailure {
        SchemaChangeRound round = new SchemaChangeRound();
        List<PreparedChange> changes = preparer.prepare(records, round);
        Set<String> tables = ChangePreparer.tables(changes);
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        changes.forEach(change -> partitions.add(change.partition()));
        ConsumerRecord<byte[], byte[]> current = null;
        Connection c = null;
        try {
            c = transactions.begin();
            BatchWatermarks marks = BatchWatermarks.lock(c, partitions, topicIds);
            SnapshotSupersession snapshots = SnapshotSupersession.lock(c, tables);
            try (OrderedBatches batches = new OrderedBatches(c)) {
                for (PreparedChange change : changes) {
                    current = change.record();
                    apply(c, batches, change, marks.of(change.partition(), result), snapshots, round, result);
                }
                batches.flush();
            }
            current = null;
            marks.save(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            TargetTransactions.rollback(c);
            preparer.forget(tables);
            throw ApplyFailure.of(e, current);
        } finally {
            TargetTransactions.close(c);
        }
        return round.next(schemaChanges, this::skipPast, result);
    }

    private void apply(Connection c, OrderedBatches batches, PreparedChange change, Watermark wm, SnapshotSupersession snapshots,
                       SchemaChangeRound round, ApplyResult result) throws SQLException {
        if (change.record().offset() < wm.nextOffset) {
            result.countRedelivered();
            return;
        }
        if (change.barrier()) {
            if (change.event().position().isAtOrBelow(wm.position)) {
                // A re-sent copy of a change this partition is past already.
                wm.nextOffset = change.record().offset() + 1;
                wm.dirty = true;
                result.duplicate();
                return;
            }
            // Every row before the change on this partition is in this transaction: it arrives with them.
            // Its watermark stays on the change until the change is applied.
            batches.flush();
            schemaChanges.arrive(c, change.change(), change.record().topic(), change.record().partition());
            round.arrived(change);
            return;
        }
        wm.nextOffset = change.record().offset() + 1;
        wm.dirty = true;
        ChangeEvent event = change.event();
        if (event == null) {
            result.tombstone();
            return;
        }
        if (event.op() == ChangeEvent.Op.SNAPSHOT_STARTED) {
            batches.flush();
            snapshots.start(c, change, result);
            return;
        }
        if (event.op() == ChangeEvent.Op.SCHEMA_CHANGE) {
            // Applied before the transaction (CREATE TABLE), or not mirrored.
            if (!event.snapshot() && !event.position().isAtOrBelow(wm.position)) {
                wm.position = event.position();
            }
            return;
        }
        if (event.op() != ChangeEvent.Op.READ) {
            if (event.position().isAtOrBelow(wm.position)) {
                result.duplicate();
                return;
            }
            if (event.position().startsNewGeneration(wm.position)) {
                result.generationChanged(change.partition(), wm.position.generation(), event.position().generation(), event.server());
            }
            wm.position = event.position();
        }
        if (snapshots.supersedes(change)) {
            result.countSuperseded();
            return;
        }
        rows.write(batches, change);
        result.applied(event.op(), change.table());
    }

    /**
     * Moves the partition's watermark past a record that was dead-lettered, so that neither a redelivery nor a
     * re-sent copy of it (same source position) is applied or dead-lettered again.
     */
    public void skipPast(ConsumerRecord<byte[], byte[]> record) throws ApplyFailure {
        skipPast(record, (c, moved) -> true);
    }

    /**
     * {@link #skipPast(ConsumerRecord)} with {@code also} in the same transaction (it learns whether the watermark moved).
     *
     * @return false when {@code also} asked for a rollback
     */
    public boolean skipPast(ConsumerRecord<byte[], byte[]> record, InTransaction also) throws ApplyFailure {
        ChangeEvent event = null;
        if (record.value() != null) {
            try {
                event = EventParser.parse(record.value());
            } catch (RuntimeException unparseable) {
                // A poison record may be unparseable: only its offset moves the watermark then.
            }
        }
        Connection c = null;
        try {
            c = transactions.begin();
            Watermark wm = WatermarkStore.lock(c, record.topic(), record.partition());
            BatchWatermarks.followTopicId(wm, topicIds, new ApplyResult());
            boolean moved = record.offset() >= wm.nextOffset;
            if (moved) {
                wm.nextOffset = record.offset() + 1;
                if (event != null && event.op() != ChangeEvent.Op.READ && event.position() != null
                        && !event.position().isAtOrBelow(wm.position)) {
                    wm.position = event.position();
                }
                WatermarkStore.save(c, wm);
            }
            if (!also.run(c, moved)) {
                c.rollback();
                return false;
            }
            c.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            TargetTransactions.rollback(c);
            throw ApplyFailure.of(e, record);
        } finally {
            TargetTransactions.close(c);
        }
    }

    /** What a replayed record did. */
    public enum ReplayOutcome {
        /** Its change was applied. */
        APPLIED,
        /** Its table was snapshotted after it: the snapshot already holds its effect, nothing was written. */
        SUPERSEDED,
        /** {@code also} asked for a rollback: nothing was written. */
        ROLLED_BACK
    }

    /**
     * Applies a record that was passed over earlier (dead-lettered), without the watermark tests: the watermark is
     * already past it. {@code also} runs in the same transaction (it marks the dead letter replayed), so a record is
     * replayed exactly once. A record older than its table's latest snapshot is superseded, as in {@link #apply}.
     */
    public ReplayOutcome replay(ConsumerRecord<byte[], byte[]> record, InTransaction also) throws ApplyFailure {
        PreparedChange change = preparer.prepareReplay(record);
        Connection c = null;
        try {
            c = transactions.begin();
            ReplayOutcome outcome;
            ChangeEvent event = change.event();
            SnapshotSupersession snapshots = SnapshotSupersession.lock(c, change.table() == null ? Set.of() : Set.of(change.table()));
            if (event != null && event.op() == ChangeEvent.Op.SCHEMA_CHANGE) {
                // Run before the transaction, when it was prepared (DDL commits implicitly).
                outcome = ReplayOutcome.APPLIED;
            } else if (event == null || event.op() == ChangeEvent.Op.SNAPSHOT_STARTED || snapshots.supersedes(change)) {
                outcome = ReplayOutcome.SUPERSEDED;
            } else {
                try (OrderedBatches batches = new OrderedBatches(c)) {
                    rows.write(batches, change);
                    batches.flush();
                }
                outcome = ReplayOutcome.APPLIED;
            }
            if (!also.run(c, true)) {
                c.rollback();
                return ReplayOutcome.ROLLED_BACK;
            }
            c.commit();
            return outcome;
        } catch (SQLException | RuntimeException e) {
            TargetTransactions.rollback(c);
            if (change.table() != null) {
                preparer.forget(Set.of(change.table()));
            }
            throw ApplyFailure.of(e, record);
        } finally {
            TargetTransactions.close(c);
        }
    }
}
