package dev.cdc.processor.deadletter;

import dev.cdc.contract.Headers;
import dev.cdc.contract.SourcePosition;
import dev.cdc.processor.apply.ApplyFailure;
import dev.cdc.processor.apply.BatchApplier;
import dev.cdc.processor.dlq.DeadLetterPublisher;
import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.EventParser;
import dev.cdc.processor.policy.ErrorPolicies;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Passes a record over for good, in one target transaction with the watermark that moves past it (so a redelivery or a
 * re-sent copy is never applied or passed over twice): as a dead letter (a row of {@code cdc_dead_letter}, after the
 * record was published to the dead-letter topic), or skipped on an operator's request.
 */
@Singleton
public class DeadLettering {

    private final BatchApplier applier;
    private final DeadLetterPublisher publisher;
    private final PendingDeadLetters pending;

    public DeadLettering(BatchApplier applier, DeadLetterPublisher publisher, PendingDeadLetters pending) {
        this.applier = applier;
        this.publisher = publisher;
        this.pending = pending;
    }

    public String topic() {
        return publisher.topic();
    }

    /** Step 1 of a dead letter: the record goes to the dead-letter topic with the diagnostic headers. */
    public void publish(ConsumerRecord<byte[], byte[]> record, Throwable error, int attempts) throws Exception {
        publisher.publish(record, error, attempts);
    }

    /**
     * Step 2: the dead letter is recorded and the watermark moves past the record, in one transaction; with
     * {@code requestId}, the operator's request is marked done in it too.
     *
     * @param waitsFor the dead letter of the same key this record waits for, or null
     * @return the dead letter's id, null when the watermark was already past the record (recorded before), or -1 when
     *         the request was withdrawn (nothing written)
     */
    public Long record(ConsumerRecord<byte[], byte[]> record, String error, int attempts, Long waitsFor, Long requestId) throws ApplyFailure {
        DeadLetterStore.Entry entry = entry(record, error, attempts, waitsFor);
        long[] id = {0};
        boolean done = applier.skipPast(record, (c, moved) -> {
            if (requestId != null && !RepairRequests.claimAndFinish(c, requestId, true, moved ? "dead-lettered" : "already past it")) {
                return false;
            }
            if (moved) {
                id[0] = DeadLetterStore.insert(c, entry);
                clearStop(c, record);
            }
            return true;
        });
        if (!done) {
            return -1L;
        }
        if (id[0] == 0) {
            return null;
        }
        pending.added(record.topic(), record.key(), entry.sourceTable(), id[0]);
        return id[0];
    }

    /** The watermark moves past the record, and the operator's skip request is marked done; false when it was withdrawn. */
    public boolean skip(ConsumerRecord<byte[], byte[]> record, long requestId) throws ApplyFailure {
        return applier.skipPast(record, (c, moved) -> {
            if (!RepairRequests.claimAndFinish(c, requestId, true, moved ? "skipped" : "already past it")) {
                return false;
            }
            clearStop(c, record);
            return true;
        });
    }

    private static void clearStop(Connection c, ConsumerRecord<byte[], byte[]> record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + RepairTables.STOPPED_PARTITION
                + " WHERE topic = ? AND kafka_partition = ? AND kafka_offset = ?")) {
            ps.setString(1, record.topic());
            ps.setInt(2, record.partition());
            ps.setLong(3, record.offset());
            ps.executeUpdate();
        }
    }

    static DeadLetterStore.Entry entry(ConsumerRecord<byte[], byte[]> record, String error, int attempts, Long waitsFor) {
        SourcePosition order = null;
        if (record.value() != null) {
            try {
                ChangeEvent event = EventParser.parse(record.value());
                order = event.position();
            } catch (RuntimeException unparseable) {
                // A poison record may not parse: it sorts after the ones with a position.
            }
        }
        return new DeadLetterStore.Entry(record.topic(), record.partition(), record.offset(), ErrorPolicies.tableOfTopic(record.topic()),
                position(record, order), order, record.key(), record.value(), error, attempts, waitsFor);
    }

    /** The record's source position as the connector wrote it ({@code cdc.position}, generation added), else the parsed one. */
    public static String position(ConsumerRecord<byte[], byte[]> record, SourcePosition parsed) {
        Header h = record.headers().lastHeader(Headers.POSITION);
        if (h != null && h.value() != null) {
            String text = new String(h.value(), StandardCharsets.UTF_8);
            Header g = record.headers().lastHeader(Headers.GENERATION);
            return g == null || g.value() == null ? text : text + " (generation " + new String(g.value(), StandardCharsets.UTF_8) + ")";
        }
        return parsed == null ? null : parsed.toString();
    }
}
