package dev.cdc.connector.engine;

import dev.cdc.connector.publish.KafkaFencedException;
import dev.cdc.connector.publish.TransactionalPublisher;
import dev.cdc.connector.transform.EventTransform;
import dev.cdc.contract.BinlogCoordinates;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One Debezium batch → one Kafka transaction → then the offsets (docs/design.md, invariant 4): records are marked
 * processed only after the transaction committed, and {@code markBatchFinished} makes the engine write the
 * offset of the last marked record to the fenced store. A batch that ends inside a primary-key change leaves
 * that change's records unmarked ({@link KeyChangeBoundary}). A crash in between re-sends the batch (at-least-once); the
 * processor's watermark drops the duplicates.
 */
public final class BatchHandler implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

    /** What a term reports about its progress. */
    public interface Progress {
        /** @param lastCommitted the position of the last record whose offset is committed with this batch, or null if none */
        void published(int records, BinlogCoordinates lastCommitted, long nanos);

        /** The engine records whose offsets this batch commits, in order (after their Kafka transaction committed). */
        default void committed(List<SourceRecord> records) {
        }
    }

    /** Work that must be done, for a batch already in Kafka, before its offsets are committed. */
    public interface BeforeCommit {
        BeforeCommit NONE = records -> { };

        /** @param records the batch's engine records, in order; an exception fails the batch (nothing committed) */
        void beforeCommit(List<SourceRecord> records);
    }

    private final EventTransform transform;
    private final TransactionalPublisher publisher;
    private final java.util.concurrent.CompletableFuture<Void> producerReady;
    private final long epoch;
    private final BooleanSupplier leading;
    private final Progress progress;
    private final BeforeCommit beforeCommit;

    BatchHandler(EventTransform transform, TransactionalPublisher publisher, java.util.concurrent.CompletableFuture<Void> producerReady,
                 long epoch, BooleanSupplier leading, Progress progress, BeforeCommit beforeCommit) {
        this.beforeCommit = beforeCommit;
        this.transform = transform;
        this.publisher = publisher;
        this.producerReady = producerReady;
        this.epoch = epoch;
        this.leading = leading;
        this.progress = progress;
    }

    @Override
    public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        if (!leading.getAsBoolean()) {
            throw new KafkaFencedException("Leadership of epoch " + epoch + " ended: not publishing this batch");
        }
        long started = System.nanoTime();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size());
        List<SourceRecord> sourceRecords = new ArrayList<>(records.size());
        for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
            ProducerRecord<byte[], byte[]> r = transform.transform(event.value(), epoch);
            if (r != null) {
                out.add(r);
            } else {
                transform.snapshotStartedMarkers(event.value(), epoch, publisher::partitionCount, out);
                transform.schemaChangeEvents(event.value(), epoch, publisher::partitionCount, out);
            }
            sourceRecords.add(event.value());
        }
        if (!out.isEmpty()) {
            awaitProducer();
            publisher.publish(out);
        }
        beforeCommit.beforeCommit(sourceRecords);
        // The stored offset must not land inside a primary-key change (KeyChangeBoundary).
        int committable = KeyChangeBoundary.committablePrefix(sourceRecords);
        for (int i = 0; i < committable; i++) {
            Map<String, ?> partition = sourceRecords.get(i).sourcePartition();
            // A Debezium notification without a position has no offset to store.
            if (partition != null && !partition.isEmpty()) {
                committer.markProcessed(records.get(i));
            }
        }
        committer.markBatchFinished();
        BinlogCoordinates last = committable > 0 ? BinlogCoordinates.fromOffset(sourceRecords.get(committable - 1).sourceOffset()) : null;
        progress.published(out.size(), last, System.nanoTime() - started);
        progress.committed(sourceRecords.subList(0, committable));
    }

    private void awaitProducer() throws InterruptedException {
        try {
            producerReady.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return true;
    }
}
