package dev.cdc.processor.consumer;

import dev.cdc.processor.apply.ApplyFailure;
import dev.cdc.processor.apply.ApplyResult;
import dev.cdc.processor.apply.BatchApplier;
import dev.cdc.processor.config.KafkaClientSettings;
import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.config.Topics;
import dev.cdc.processor.dlq.DeadLetterPublisher;
import dev.cdc.processor.metrics.ProcessorMetrics;
import dev.cdc.processor.metrics.ProcessorMetrics.RetryReason;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-apply loop: a plain {@link KafkaConsumer} on its own thread, subscribed by pattern to
 * {@code <prefix>.<db>.<table>} (read_committed, no auto commit).
 *
 * <p>Each poll batch is applied in one target transaction ({@link BatchApplier}); the Kafka offsets are committed
 * only after that transaction committed. Failures:
 * <ul>
 *   <li>transient (target unreachable, deadlock, lock wait...): the transaction is rolled back, the consumer seeks
 *       back to the first record of the batch, waits (exponential backoff, capped) and polls the same records again,
 *       forever. Nothing is dead-lettered and no position is lost. One log line starts and one ends each streak.</li>
 *   <li>data (constraint violation, value too long, unknown format version...): the batch is re-applied record by
 *       record to find the poison record. It is retried up to {@code max-attempts} times, each retry after a backoff
 *       and a fresh poll from its offset (so the consumer keeps polling while it waits); then it is published to the
 *       DLQ with diagnostic headers, the partition's watermark moves past it, and the rest of the batch follows.</li>
 * </ul>
 * A plain consumer rather than a micronaut-kafka listener: the two retry policies (forever vs. N times then DLQ)
 * need seeks, commits and waits between polls per record, which the listener's single error strategy does not
 * express; and micronaut-kafka needs micronaut-messaging, which the package registry here does not carry for
 * Micronaut 4.10.
 */
@Singleton
public class ChangeConsumer implements ApplicationEventListener<StartupEvent>, ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(ChangeConsumer.class);
    private static final long STREAK_REMINDER_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final String CLIENT_ID = "cdc-processor";

    /** What the loop is doing, for /health. */
    public enum State { STARTING, RUNNING, RETRYING, FAILED, STOPPED }

    private record RecordId(TopicPartition partition, long offset) {
        static RecordId of(ConsumerRecord<?, ?> r) {
            return new RecordId(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
    }

    private static final class PoisonState {
        int attempts;
        ApplyFailure failure;
        boolean published;
    }

    private final ProcessorConfig config;
    private final Topics topics;
    private final KafkaClientSettings kafka;
    private final BatchApplier applier;
    private final DeadLetterPublisher dlq;
    private final ProcessorMetrics metrics;

    /** Records under isolation, touched only by the consumer thread. */
    private final Map<RecordId, PoisonState> poison = new HashMap<>();
    private final Object sleeper = new Object();
    private volatile boolean running;
    private volatile State state = State.STARTING;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Set<TopicPartition> assignment = Set.of();
    private Thread thread;

    private int streak;
    private long streakStartNanos;
    private long streakLoggedNanos;

    public ChangeConsumer(ProcessorConfig config, Topics topics, KafkaClientSettings kafka, BatchApplier applier,
                          DeadLetterPublisher dlq, ProcessorMetrics metrics) {
        this.config = config;
        this.topics = topics;
        this.kafka = kafka;
        this.applier = applier;
        this.dlq = dlq;
        this.metrics = metrics;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        start();
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "cdc-processor-consumer");
        thread.start();
    }

    @PreDestroy
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = State.STOPPED;
    }

    public State state() {
        return state;
    }

    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public Set<TopicPartition> assignment() {
        return assignment;
    }

    private void run() {
        log.info("Consuming topics matching '{}' as group '{}'; poison records go to '{}' after {} attempts",
                topics.changeTopicPattern(), config.getGroupId(), dlq.topic(), config.getMaxAttempts());
        int failures = 0;
        while (running) {
            KafkaConsumer<byte[], byte[]> c = null;
            try {
                c = new KafkaConsumer<>(kafka.consumer(config.getGroupId(), CLIENT_ID));
                consumer = c;
                if (!running) {
                    break;
                }
                c.subscribe(topics.changeTopicPattern(), this);
                state = State.RUNNING;
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(config.getPollTimeout());
                    failures = 0;
                    if (!records.isEmpty()) {
                        handle(c, records);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    log.warn("Kafka consumer woken up unexpectedly; recreating it");
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                failures++;
                state = State.FAILED;
                Duration delay = config.backoff(failures);
                log.error("Kafka consumer failed ({}); recreating it in {} ms. Check kafka.bootstrap.servers and the broker's health.",
                        e, delay.toMillis(), e);
                sleep(delay);
            } finally {
                consumer = null;
                poison.clear();
                assignment = Set.of();
                if (c != null) {
                    try {
                        c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                    } catch (RuntimeException e) {
                        log.debug("Closing the Kafka consumer failed", e);
                    }
                }
            }
        }
        state = State.STOPPED;
        log.info("Consumer stopped");
    }

    private void handle(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        if (poison.isEmpty()) {
            try {
                ApplyResult result = applier.apply(batch);
                metrics.committed(result);
                streakEnded();
                commit(c, nextOffsets(batch, batch.size()));
                return;
            } catch (ApplyFailure f) {
                if (f.isTransient() || !running) {
                    transientFailure(c, batch, 0, "the target database is unavailable", f.describe());
                    return;
                }
                log.info("A batch of {} records failed on a data error ({}); applying it record by record to isolate the poison record",
                        batch.size(), f.describe());
            }
        }
        isolate(c, batch);
    }

    /** Applies the batch one record per transaction; stops at the first record that must wait for a retry. */
    private void isolate(KafkaConsumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> done = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = batch.get(i);
            RecordId id = RecordId.of(record);
            if (!running) {
                commit(c, done);
                seekBack(c, batch, i);
                return;
            }
            PoisonState ps = poison.get(id);
            if (ps != null && ps.published) {
                // Published before, but moving the watermark past it failed: only that is left to do.
                if (!skipPastDeadLetter(c, batch, i, done)) {
                    return;
                }
                continue;
            }
            if (ps == null || ps.attempts < config.getMaxAttempts()) {
                try {
                    ApplyResult result = applier.apply(List.of(record));
                    metrics.committed(result);
                    streakEnded();
                    poison.remove(id);
                    done.put(id.partition(), new OffsetAndMetadata(record.offset() + 1));
                    continue;
                } catch (ApplyFailure f) {
                    if (f.isTransient() || !running) {
                        commit(c, done);
                        transientFailure(c, batch, i, "the target database is unavailable", f.describe());
                        return;
                    }
                    if (ps == null) {
                        ps = new PoisonState();
                        poison.put(id, ps);
                    }
                    ps.attempts++;
                    ps.failure = f;
                    if (ps.attempts < config.getMaxAttempts()) {
                        metrics.retry(RetryReason.DATA);
                        Duration delay = config.backoff(ps.attempts);
                        log.warn("Record {}@{} failed on its data (attempt {}/{}): {}; retrying in {} ms", id.partition(), id.offset(),
                                ps.attempts, config.getMaxAttempts(), f.describe(), delay.toMillis());
                        commit(c, done);
                        seekBack(c, batch, i);
                        sleep(delay);
                        return;
                    }
                }
            }
            // Out of attempts (now, or in an earlier round whose DLQ publish failed): dead-letter it.
            try {
                dlq.publish(record, ps.failure.getCause(), ps.attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                commit(c, done);
                seekBack(c, batch, i);
                return;
            } catch (Exception e) {
                commit(c, done);
                transientFailure(c, batch, i, "publishing to the dead-letter topic '" + dlq.topic() + "' failed",
                        e.getClass().getName() + ": " + e.getMessage());
                return;
            }
            ps.published = true;
            metrics.deadLettered();
            log.warn("Dead-lettered record {}@{} after {} attempts: {}. It is in topic '{}' with its original key, value and headers "
                    + "plus cdc.dlq.* headers; fix the cause (target table or data), then re-publish it to '{}' or apply it by hand.",
                    id.partition(), id.offset(), ps.attempts, ps.failure.describe(), dlq.topic(), record.topic());
            if (!skipPastDeadLetter(c, batch, i, done)) {
                return;
            }
        }
        commit(c, done);
    }

    private boolean skipPastDeadLetter(KafkaConsumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, int index,
                                       Map<TopicPartition, OffsetAndMetadata> done) {
        ConsumerRecord<byte[], byte[]> record = batch.get(index);
        try {
            applier.skipPast(record);
        } catch (ApplyFailure f) {
            commit(c, done);
            transientFailure(c, batch, index, "the target database is unavailable", f.describe());
            return false;
        }
        RecordId id = RecordId.of(record);
        poison.remove(id);
        done.put(id.partition(), new OffsetAndMetadata(record.offset() + 1));
        return true;
    }

    private void transientFailure(KafkaConsumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, int from,
                                  String what, String error) {
        metrics.retry(RetryReason.TRANSIENT);
        state = State.RETRYING;
        streak++;
        Duration delay = config.backoff(streak);
        long now = System.nanoTime();
        if (streak == 1) {
            streakStartNanos = now;
            streakLoggedNanos = now;
            ConsumerRecord<byte[], byte[]> first = batch.get(from);
            log.warn("Retrying: {} ({}). Rolled back; {} records from {}-{}@{} will be applied again, with backoff up to {} ms, "
                    + "until it succeeds; nothing is dead-lettered meanwhile. Check the target database (datasources.default.url, "
                    + "its credentials and grants) and the Kafka broker.", what, error, batch.size() - from, first.topic(),
                    first.partition(), first.offset(), config.getRetryBackoffMax().toMillis());
        } else if (now - streakLoggedNanos >= STREAK_REMINDER_NANOS) {
            streakLoggedNanos = now;
            log.warn("Still retrying after {} attempts in {} s: {} ({})", streak,
                    TimeUnit.NANOSECONDS.toSeconds(now - streakStartNanos), what, error);
        }
        seekBack(c, batch, from);
        sleep(delay);
    }

    private void streakEnded() {
        if (streak > 0) {
            log.info("Recovered after {} retries in {} s; applying again", streak,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - streakStartNanos));
            streak = 0;
        }
        state = State.RUNNING;
    }

    /** Seeks every partition that has records at or after {@code from} back to the first of them. */
    private static void seekBack(KafkaConsumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, int from) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (int i = from; i < batch.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = batch.get(i);
            first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        Set<TopicPartition> assigned = c.assignment();
        first.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                c.seek(tp, offset);
            }
        });
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> batch, int end) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (int i = 0; i < end; i++) {
            ConsumerRecord<byte[], byte[]> r = batch.get(i);
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return offsets;
    }

    /**
     * Commits consumer offsets after the target transaction. A failed commit loses nothing: the target's
     * watermark table holds the next offset, and records below it are skipped when they come again.
     */
    private void commit(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("Could not commit Kafka offsets {} ({}); the target already has these records and will skip them if they come again",
                    offsets, e.toString());
        }
    }

    private void sleep(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (sleeper) {
            long left;
            while (running && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assignment = Set.copyOf(consumerAssignment());
        if (!partitions.isEmpty()) {
            log.info("Assigned {}", partitions);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        poison.keySet().removeIf(id -> partitions.contains(id.partition()));
        assignment = Set.copyOf(consumerAssignment());
        if (!partitions.isEmpty()) {
            log.info("Revoked {}", partitions);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    private Collection<TopicPartition> consumerAssignment() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        return c == null ? Set.of() : c.assignment();
    }
}
