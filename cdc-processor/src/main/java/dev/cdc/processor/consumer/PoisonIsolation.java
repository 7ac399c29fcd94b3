package dev.cdc.processor.consumer;

import dev.cdc.processor.apply.ApplyFailure;
import dev.cdc.processor.apply.ApplyResult;
import dev.cdc.processor.apply.BatchApplier;
import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.deadletter.DeadLettering;
import dev.cdc.processor.deadletter.PendingDeadLetters;
import dev.cdc.processor.deadletter.RepairRequests;
import dev.cdc.processor.deadletter.StoppedPartitions;
import dev.cdc.processor.metrics.ProcessorMetrics;
import dev.cdc.processor.metrics.ProcessorMetrics.RetryReason;
import dev.cdc.processor.policy.ErrorPolicies;
import dev.cdc.processor.policy.ErrorPolicy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one partition applied one per transaction, to find and handle the record the target refuses on its
 * data. Each failed attempt pauses only that partition for the backoff; what happens after {@code max-attempts}
 * depends on the table's {@link ErrorPolicy}:
 * <ul>
 *   <li>stop: the partition is reported stopped (/health, {@code cdc_processor_stopped_partitions}) and the record is
 *       retried with the capped backoff until it applies, or until an operator's skip or dead-letter request for it
 *       is found;</li>
 *   <li>dead-letter: the record is published to the dead-letter topic, then recorded in {@code cdc_dead_letter} in the
 *       transaction that moves the watermark past it.</li>
 * </ul>
 * A record whose key has a pending dead letter is dead-lettered at once, behind it ({@link PendingDeadLetters}). A record
 * that reaches a schema change the topic's other partitions have not reached yet holds its partition there
 * ({@link SchemaChangeHolds}); the partition's later records wait with it.
 * Used by the poll thread only.
 */
@Singleton
class PoisonIsolation {

    private static final Logger log = LoggerFactory.getLogger(PoisonIsolation.class);
    private static final long STOPPED_REMINDER_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** How the partition's records went. */
    enum Outcome {
        /** Every record was applied or passed over. */
        DONE,
        /** The partition waits for a retry at {@code index} (seeked back and paused). */
        WAITING,
        /** The target is unavailable at {@code index}: the caller rolls everything from there back. */
        TRANSIENT,
        /** Shutdown started at {@code index}. */
        CLOSING
    }

    record Result(Outcome outcome, int index, String what, String error) {
    }

    private record RecordId(TopicPartition partition, long offset) {
        static RecordId of(ConsumerRecord<?, ?> r) {
            return new RecordId(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
    }

    private static final class Poison {
        int attempts;
        ApplyFailure failure;
        boolean published;
        boolean stopped;
        long loggedNanos;
    }

    private final ProcessorConfig config;
    private final BatchApplier applier;
    private final DeadLettering deadLettering;
    private final PendingDeadLetters pending;
    private final StoppedPartitions stopped;
    private final ErrorPolicies policies;
    private final ProcessorMetrics metrics;
    private final PartitionBackoff backoff;
    private final RetryStreak streak;
    private final ApplyGate gate;
    private final DataSource dataSource;
    private final SchemaChangeHolds holds;
    private final Map<RecordId, Poison> poison = new HashMap<>();

    PoisonIsolation(ProcessorConfig config, BatchApplier applier, DeadLettering deadLettering, PendingDeadLetters pending,
                    StoppedPartitions stopped, ErrorPolicies policies, ProcessorMetrics metrics, PartitionBackoff backoff,
                    RetryStreak streak, ApplyGate gate, DataSource dataSource, SchemaChangeHolds holds) {
        this.config = config;
        this.applier = applier;
        this.deadLettering = deadLettering;
        this.pending = pending;
        this.stopped = stopped;
        this.policies = policies;
        this.metrics = metrics;
        this.backoff = backoff;
        this.streak = streak;
        this.gate = gate;
        this.dataSource = dataSource;
        this.holds = holds;
    }

    /** True when the partition's records must go one by one: a record of it failed, or keys of its topic are held back. */
    boolean isolates(TopicPartition tp) {
        if (pending.holdsAnyOf(tp.topic()) || stopped.isStopped(tp)) {
            return true;
        }
        for (RecordId id : poison.keySet()) {
            if (id.partition().equals(tp)) {
                return true;
            }
        }
        return false;
    }

    /** The partition's records ({@code records}, in offset order) one per transaction; applied ones go into {@code done}. */
    Result apply(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> done) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            RecordId id = RecordId.of(record);
            if (!gate.isOpen()) {
                return new Result(Outcome.CLOSING, i, null, null);
            }
            try {
                Poison p = poison.get(id);
                if (p != null && p.published) {
                    // Published before, but recording it failed: only that is left to do.
                    recordDeadLetter(record, p, null, null);
                } else if (record.value() != null && pending.heldBy(record.topic(), record.key()) != null) {
                    waitBehind(record, pending.heldBy(record.topic(), record.key()));
                } else if (p != null && p.stopped && operatorRequest(record, p)) {
                    // Skipped or dead-lettered as the operator asked.
                } else if (!applyOne(c, record, id, done)) {
                    return new Result(Outcome.WAITING, i, null, null);
                }
                done.put(id.partition(), new OffsetAndMetadata(record.offset() + 1));
            } catch (ApplyFailure f) {
                return new Result(Outcome.TRANSIENT, i, "the target database is unavailable", f.describe());
            } catch (SQLException e) {
                return new Result(Outcome.TRANSIENT, i, "the target database is unavailable", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(Outcome.CLOSING, i, null, null);
            } catch (DeadLetterTopicUnavailable e) {
                return new Result(Outcome.TRANSIENT, i, "publishing to the dead-letter topic '" + deadLettering.topic() + "' failed", e.getMessage());
            }
        }
        return new Result(Outcome.DONE, records.size(), null, null);
    }

    /**
     * @return true when the record was applied or passed over; false when its partition waits for a retry, or waits at a
     *         schema change (its offset in {@code done} stays on the change)
     */
    private boolean applyOne(Consumer<byte[], byte[]> c, ConsumerRecord<byte[], byte[]> record, RecordId id,
                             Map<TopicPartition, OffsetAndMetadata> done) throws ApplyFailure, InterruptedException, DeadLetterTopicUnavailable {
        Poison p = poison.get(id);
        try {
            ApplyResult result = applier.apply(List.of(record));
            metrics.committed(result);
            streak.ended();
            poison.remove(id);
            if (p != null && p.stopped) {
                stopped.resumed(id.partition());
                log.info("{} resumed: record {}@{} applied after {} attempts; the cause was fixed", id.partition(), id.partition(), id.offset(), p.attempts);
            }
            return !holds.hold(c, result, done);
        } catch (ApplyFailure f) {
            if (f.isTransient() || !gate.isOpen()) {
                throw f;
            }
            if (p == null) {
                p = new Poison();
                poison.put(id, p);
            }
            p.attempts++;
            p.failure = f;
        }
        String table = ErrorPolicies.tableOfTopic(record.topic());
        ErrorPolicy policy = policies.of(table);
        if (policy == ErrorPolicy.DEAD_LETTER && p.attempts >= config.getMaxAttempts()) {
            publish(record, p);
            recordDeadLetter(record, p, null, null);
            return true;
        }
        metrics.retry(RetryReason.DATA);
        Duration delay = config.backoff(p.attempts);
        if (policy == ErrorPolicy.STOP && p.attempts >= config.getMaxAttempts()) {
            long now = System.nanoTime();
            if (!p.stopped) {
                p.stopped = true;
                p.loggedNanos = now;
                String position = DeadLettering.position(record, null);
                stopped.stopped(new StoppedPartitions.Stop(id.partition(), id.offset(), table, position, p.failure.describe(), p.attempts, Instant.now()));
                log.error("{} STOPPED at record {} (table {}, source position {}) after {} attempts: {}. Other partitions go on; this one "
                        + "retries every {} ms at most and resumes once the target accepts the record. Fix the cause (e.g. widen the "
                        + "target column), or pass the record over with 'cdc dead-letters skip' or 'cdc dead-letters dead-letter'.",
                        id.partition(), id.offset(), table, position, p.attempts, p.failure.describe(), config.getRetryBackoffMax().toMillis());
            } else if (now - p.loggedNanos >= STOPPED_REMINDER_NANOS) {
                p.loggedNanos = now;
                log.error("{} still stopped at record {} (table {}) after {} attempts: {}", id.partition(), id.offset(), table, p.attempts,
                        p.failure.describe());
            }
        } else {
            log.warn("Record {}@{} failed on its data (attempt {}/{}): {}; retrying in {} ms", id.partition(), id.offset(),
                    p.attempts, config.getMaxAttempts(), p.failure.describe(), delay.toMillis());
        }
        Seeks.back(c, List.of(record));
        // Only this partition waits; the others keep flowing.
        backoff.pause(c, List.of(id.partition()), delay);
        return false;
    }

    /** An operator asked to skip or dead-letter the record its partition stopped at; true when that was done. */
    private boolean operatorRequest(ConsumerRecord<byte[], byte[]> record, Poison p)
            throws SQLException, ApplyFailure, InterruptedException, DeadLetterTopicUnavailable {
        RepairRequests.Request request;
        try (Connection c = dataSource.getConnection()) {
            request = RepairRequests.forRecord(c, record.topic(), record.partition(), record.offset());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        if (request == null) {
            return false;
        }
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        boolean done;
        if (RepairRequests.SKIP.equals(request.action())) {
            done = deadLettering.skip(record, request.id());
            if (done) {
                log.warn("{}: record {} skipped by operator request #{}; the target does not have its change ({})", tp, record.offset(),
                        request.id(), p.failure.describe());
            }
        } else {
            publish(record, p);
            done = recordDeadLetter(record, p, null, request.id());
        }
        if (done) {
            poison.remove(RecordId.of(record));
            stopped.resumed(tp);
        }
        return done;
    }

    private void publish(ConsumerRecord<byte[], byte[]> record, Poison p) throws InterruptedException, DeadLetterTopicUnavailable {
        if (p.published) {
            return;
        }
        try {
            deadLettering.publish(record, p.failure.getCause(), p.attempts);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new DeadLetterTopicUnavailable(e.getClass().getName() + ": " + e.getMessage());
        }
        p.published = true;
    }

    /** @return false when the operator's request was withdrawn meanwhile (nothing written) */
    private boolean recordDeadLetter(ConsumerRecord<byte[], byte[]> record, Poison p, Long waitsFor, Long requestId) throws ApplyFailure {
        Long id = deadLettering.record(record, p.failure.describe(), p.attempts, waitsFor, requestId);
        if (id != null && id < 0) {
            return false;
        }
        poison.remove(RecordId.of(record));
        metrics.deadLettered();
        log.warn("Dead-lettered record {}-{}@{} (table {}, source position {}) after {} attempts{}: {}. It is in topic '{}' and in table "
                + "cdc_dead_letter{}; the table counts as diverged until 'cdc dead-letters replay' applies it (after the cause is fixed).",
                record.topic(), record.partition(), record.offset(), ErrorPolicies.tableOfTopic(record.topic()),
                DeadLettering.position(record, null), p.attempts, requestId == null ? "" : " (operator request #" + requestId + ")",
                p.failure.describe(), deadLettering.topic(), id == null ? " (recorded before)" : " as #" + id);
        return true;
    }

    /** A change of a key that has a pending dead letter: it is recorded behind it, to be replayed after it. */
    private void waitBehind(ConsumerRecord<byte[], byte[]> record, long first) throws ApplyFailure {
        Long id = deadLettering.record(record, "waits for dead letter #" + first + " of the same key", 0, first, null);
        if (id != null) {
            metrics.deadLettered();
            log.warn("Record {}-{}@{} of a key with pending dead letter #{} is dead-lettered behind it as #{} (replayed after it, in source order)",
                    record.topic(), record.partition(), record.offset(), first, id);
        }
    }

    /** The partitions went to another consumer: their retry state goes with them. */
    void forget(Collection<TopicPartition> partitions) {
        poison.keySet().removeIf(id -> partitions.contains(id.partition()));
    }

    void clear() {
        poison.clear();
    }

    /** The dead-letter topic refused or timed out: retried like a target outage. */
    static final class DeadLetterTopicUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        DeadLetterTopicUnavailable(String message) {
            super(message);
        }
    }
}
