package dev.cdc.processor.consumer;

import dev.cdc.processor.apply.ApplyFailure;
import dev.cdc.processor.apply.ApplyResult;
import dev.cdc.processor.apply.BatchApplier;
import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.config.Topics;
import dev.cdc.processor.dlq.DeadLetterPublisher;
import dev.cdc.processor.metrics.ProcessorMetrics;
import dev.cdc.processor.metrics.ProcessorMetrics.RetryReason;
import dev.cdc.processor.position.ConsumerPositioning;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-apply listener: a micronaut-kafka batch {@link KafkaListener} subscribed by pattern to
 * {@code <prefix>.<db>.<table>} (read_committed, no auto commit, offsets committed here by hand).
 *
 * <p>micronaut-kafka owns the consumer and its poll loop (one thread); each poll's records arrive here as one batch
 * together with the {@link Consumer}. The batch is applied in one target transaction ({@link BatchApplier}); the
 * Kafka offsets are committed synchronously only after that transaction committed. Failures:
 * <ul>
 *   <li>transient (target unreachable, deadlock, lock wait...): the transaction is rolled back, the consumer seeks
 *       back to the first record of the batch, and every assigned partition is paused for the backoff (exponential,
 *       capped) through micronaut-kafka's {@link ConsumerRegistry}; a scheduled task resumes them and the same records
 *       are polled again, forever. Nothing is dead-lettered and no position is lost. One log line starts and one ends
 *       each streak.</li>
 *   <li>data (constraint violation, value too long, unknown format version...): the batch is re-applied record by
 *       record to find the poison record. It is retried up to {@code max-attempts} times, each retry after a seek back
 *       to it and a pause of its partition for the backoff (the other partitions keep flowing); then it is published
 *       to the DLQ with diagnostic headers, the partition's watermark moves past it, and the rest of the batch
 *       follows.</li>
 * </ul>
 * The listener never sleeps on the poll thread while it waits for a retry, so a long backoff cannot exceed
 * {@code max.poll.interval.ms}. It never throws either: micronaut-kafka would log the error and go on past the batch
 * (error strategy NONE), so every failure is turned into a seek back here.
 */
@KafkaListener(
        groupId = "${" + ProcessorConfig.PREFIX + ".group-id:" + ProcessorConfig.DEFAULT_GROUP_ID + "}",
        clientId = ChangeListener.CLIENT_ID,
        batch = true,
        offsetReset = OffsetReset.EARLIEST, // only when neither kafka.auto.offset.reset nor kafka.consumers.<group>.* sets it
        offsetStrategy = OffsetStrategy.DISABLED, // committed here, after the target transaction
        isolation = IsolationLevel.READ_COMMITTED,
        pollTimeout = "${" + ProcessorConfig.PREFIX + ".poll-timeout:500ms}",
        properties = {
            // Fixed: correctness depends on them, so no kafka.* key can change them.
            @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed"),
            @Property(name = ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, value = "false"),
            @Property(name = ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, value = "org.apache.kafka.common.serialization.ByteArrayDeserializer"),
            @Property(name = ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, value = "org.apache.kafka.common.serialization.ByteArrayDeserializer"),
            // Pattern subscriptions see new topics (new tables) only after a metadata refresh; Kafka's default is 5 min.
            @Property(name = ConsumerConfig.METADATA_MAX_AGE_CONFIG, value = "${kafka.metadata.max.age.ms:" + ChangeListener.DEFAULT_METADATA_MAX_AGE_MS + "}"),
            // Kafka's default 500 ms fetch wait showed up in the p99 of commit → applied at 1,000 rows/s (LatencyBenchmark).
            @Property(name = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, value = "${kafka.fetch.max.wait.ms:20}")
        })
public class ChangeListener implements ConsumerAware<byte[], byte[]>, ConsumerRebalanceListener, KafkaListenerExceptionHandler,
        ApplicationEventListener<ShutdownEvent> {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    private static final long STREAK_REMINDER_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final String CLIENT_ID = "cdc-processor";
    /** {@code metadata.max.age.ms} of the consumer unless {@code kafka.metadata.max.age.ms} is set. */
    public static final String DEFAULT_METADATA_MAX_AGE_MS = "10000";
    /**
     * The subscription: {@code <cdc.topic-prefix>.<db>.<table>}, the prefix quoted; the same regular expression as
     * {@link Topics#changeTopicPattern()}, so {@code <prefix>.dlq} never matches.
     */
    public static final String TOPIC_PATTERN = "\\Q${cdc.topic-prefix}\\E\\.[^.]+\\.[^.]+";

    /** What the listener is doing, for /health. */
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
    private final BatchApplier applier;
    private final DeadLetterPublisher dlq;
    private final ProcessorMetrics metrics;
    /** micronaut-kafka's consumer registry (its processor, which creates this bean: hence a provider). */
    private final BeanProvider<ConsumerRegistry> registry;
    private final TaskScheduler scheduler;
    private final ConsumerPositioning positioning;

    /** Records under isolation, touched only by the poll thread. */
    private final Map<RecordId, PoisonState> poison = new HashMap<>();
    /** Partitions paused for a retry backoff, with the System.nanoTime() at which they may resume. */
    private final Map<TopicPartition, Long> backoffUntil = new HashMap<>();
    /** Held while a batch is being handled, so that shutdown can wait for it. */
    private final ReentrantLock inFlight = new ReentrantLock();
    private final Object sleeper = new Object();
    private volatile boolean running = true;
    private volatile boolean dead;
    private volatile State state = State.STARTING;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile String consumerId;
    private volatile Set<TopicPartition> assignment = Set.of();

    private int streak;
    private long streakStartNanos;
    private long streakLoggedNanos;
    private int pollFailures;

    public ChangeListener(ProcessorConfig config, Topics topics, BatchApplier applier, DeadLetterPublisher dlq,
                          ProcessorMetrics metrics, BeanProvider<ConsumerRegistry> registry,
                          @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, ConsumerPositioning positioning) {
        this.config = config;
        this.topics = topics;
        this.applier = applier;
        this.dlq = dlq;
        this.metrics = metrics;
        this.registry = registry;
        this.scheduler = scheduler;
        this.positioning = positioning;
    }

    /** Called by micronaut-kafka with the new consumer, before it subscribes. */
    @Override
    public void setKafkaConsumer(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        state = State.RUNNING;
        log.info("Consuming topics matching '{}' as group '{}'; poison records go to '{}' after {} attempts",
                topics.changeTopicPattern(), config.getGroupId(), dlq.topic(), config.getMaxAttempts());
    }

    /** One poll's records, in poll order. */
    @Topic(patterns = TOPIC_PATTERN)
    public void receive(ConsumerRecords<byte[], byte[]> records, Consumer<byte[], byte[]> c) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        if (batch.isEmpty()) {
            return;
        }
        inFlight.lock();
        try {
            if (!running) {
                // Shutting down: leave the records to the next consumer of these partitions.
                seekBack(c, batch, 0);
                pause(c, c.assignment());
                return;
            }
            handle(c, batch);
            pollFailures = 0;
        } catch (WakeupException e) {
            // micronaut-kafka's shutdown woke the consumer while we used it. Its poll loop ends on that exception,
            // and it would treat one thrown from here as a listener error: wake the consumer again for the next poll.
            c.wakeup();
        } catch (Error e) {
            // micronaut-kafka's poll thread ends on it: report the listener dead on /health.
            dead = true;
            state = State.FAILED;
            log.error("The listener failed fatally ({}); the processor no longer consumes. Restart it.", e.toString(), e);
            throw e;
        } catch (RuntimeException e) {
            // Not expected (apply and DLQ failures are handled in handle()). Like a consumer restart: start again
            // from the batch's first records; what is already applied is skipped by its watermark offset.
            pollFailures++;
            Duration delay = config.backoff(pollFailures);
            log.error("Handling a batch of {} records failed ({}); applying it again in {} ms", batch.size(), e, delay.toMillis(), e);
            poison.clear();
            try {
                seekBack(c, batch, 0);
                backOff(c, c.assignment(), delay);
            } catch (RuntimeException again) {
                log.error("Could not seek back after the failure ({}): records of this batch from {}-{}@{} on may not be applied; "
                        + "restart the processor to read again from the committed offsets", again.toString(), batch.get(0).topic(),
                        batch.get(0).partition(), batch.get(0).offset());
            }
        } finally {
            inFlight.unlock();
        }
    }

    private void handle(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch) {
        if (poison.isEmpty()) {
            try {
                ApplyResult result = applier.apply(batch);
                metrics.committed(result);
                streakEnded();
                Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch, batch.size());
                holdAtSchemaChanges(c, result, offsets);
                commit(c, offsets);
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
    private void isolate(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> records) {
        // A copy: the records of a partition held at a schema change are dropped from it, so no seek passes the change.
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records);
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
                    if (holdAtSchemaChanges(c, result, done)) {
                        for (int j = batch.size() - 1; j > i; j--) {
                            if (RecordId.of(batch.get(j)).partition().equals(id.partition())) {
                                batch.remove(j);
                            }
                        }
                    }
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
                        // Only the poison record's partition waits; records of other partitions are polled again at once.
                        backOff(c, List.of(id.partition()), delay);
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

    /**
     * Partitions the applier held at a schema change (other partitions of the topic still have older rows to apply):
     * their offset stays on the change, the consumer reads them again from there after a short wait. True if any.
     */
    private boolean holdAtSchemaChanges(Consumer<byte[], byte[]> c, ApplyResult result, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (result.heldBack().isEmpty()) {
            return false;
        }
        Set<TopicPartition> assigned = c.assignment();
        result.heldBack().forEach((tp, offset) -> {
            offsets.put(tp, new OffsetAndMetadata(offset));
            if (assigned.contains(tp)) {
                c.seek(tp, offset);
            }
        });
        backOff(c, result.heldBack().keySet(), config.getRetryBackoff());
        return true;
    }

    private boolean skipPastDeadLetter(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, int index,
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

    private void transientFailure(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, int from,
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
        // The target is down for every partition: all of them wait.
        backOff(c, c.assignment(), delay);
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
    private static void seekBack(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, int from) {
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
    private static void commit(Consumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        // Asynchronous: the target transaction already recorded the next offset of each partition (the watermark),
        // so a commit that is late or lost only means records the target skips when they come again.
        c.commitAsync(offsets, (committed, e) -> {
            if (e != null) {
                log.warn("Could not commit Kafka offsets {} ({}); the target already has these records and will skip them if they come again",
                        committed, e.toString());
            }
        });
    }

    /**
     * Pauses {@code partitions} for {@code delay} through micronaut-kafka (a pause on the consumer itself would be
     * undone by its poll loop) and schedules their resumption. The poll thread goes on polling meanwhile (nothing
     * from these partitions), so the consumer stays in its group however long the backoff is.
     */
    private void backOff(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions, Duration delay) {
        if (!running || partitions.isEmpty()) {
            return;
        }
        String id = consumerId(c);
        if (id == null) {
            // Not registered with micronaut-kafka (cannot happen for its own consumer): wait here, bounded by retry-backoff-max.
            sleep(delay);
            return;
        }
        long until = System.nanoTime() + delay.toNanos();
        synchronized (backoffUntil) {
            for (TopicPartition tp : partitions) {
                backoffUntil.merge(tp, until, Math::max);
            }
            registry.get().pause(id, List.copyOf(partitions));
        }
        scheduler.schedule(delay, () -> resumeDue(id));
    }

    /** Resumes the partitions whose backoff is over (a later backoff of the same partition keeps it paused). */
    private void resumeDue(String id) {
        synchronized (backoffUntil) {
            long now = System.nanoTime();
            List<TopicPartition> due = new ArrayList<>();
            for (Iterator<Map.Entry<TopicPartition, Long>> it = backoffUntil.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TopicPartition, Long> e = it.next();
                if (e.getValue() - now <= 0) {
                    due.add(e.getKey());
                    it.remove();
                }
            }
            if (!due.isEmpty() && running) {
                try {
                    registry.get().resume(id, due);
                } catch (RuntimeException e) {
                    log.debug("Could not resume {} (the consumer is closing?)", due, e);
                }
            }
        }
    }

    private void pause(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
        String id = consumerId(c);
        if (id != null && !partitions.isEmpty()) {
            try {
                registry.get().pause(id, List.copyOf(partitions));
            } catch (RuntimeException e) {
                log.debug("Could not pause {}", partitions, e);
            }
        }
    }

    /** micronaut-kafka's id of {@code c} (its client id), or null. */
    private String consumerId(Consumer<byte[], byte[]> c) {
        String id = consumerId;
        if (id != null) {
            return id;
        }
        ConsumerRegistry consumers = registry.get();
        for (String candidate : consumers.getConsumerIds()) {
            try {
                Object registered = consumers.getConsumer(candidate);
                if (registered == c) {
                    consumerId = candidate;
                    return candidate;
                }
            } catch (IllegalArgumentException closing) {
                // Removed meanwhile.
            }
        }
        return null;
    }

    /**
     * Errors micronaut-kafka's poll loop reports outside of a batch (e.g. the broker refuses the consumer's requests):
     * logged with a backoff before the next poll, bounded by {@code retry-backoff-max}, like the restart of a plain
     * consumer loop. /health is DOWN while it waits.
     */
    @Override
    public void handle(KafkaListenerException exception) {
        if (!running) {
            return;
        }
        pollFailures++;
        State before = state;
        state = State.FAILED;
        Duration delay = config.backoff(pollFailures);
        Throwable cause = exception.getCause() == null ? exception : exception.getCause();
        log.error("Kafka consumer failed ({}); polling again in {} ms. Check kafka.bootstrap.servers and the broker's health.",
                cause, delay.toMillis(), cause);
        sleep(delay);
        if (running && !dead) {
            state = before == State.RETRYING ? State.RETRYING : State.RUNNING;
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

    /**
     * Shutdown starts: no further record is applied (a batch in progress is finished or rolled back first, up to
     * 60 s), so that micronaut-kafka can close the consumer and the target's connection pool can close after it.
     */
    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        boolean finished = false;
        try {
            finished = inFlight.tryLock(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (finished) {
                inFlight.unlock();
            }
        }
        state = State.STOPPED;
        log.info("Consumer stopped{}", finished ? "" : " (a batch was still being applied after 60 s; it is rolled back or skipped by its watermark when it comes again)");
    }

    public State state() {
        return state;
    }

    /** True once micronaut-kafka created the consumer, until shutdown or a fatal error of its poll thread. */
    public boolean isAlive() {
        return consumer != null && running && !dead;
    }

    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Partitions paused for a retry backoff right now, as topic-partition, for /health. */
    public java.util.List<String> pausedPartitions() {
        long now = System.nanoTime();
        synchronized (backoffUntil) {
            return backoffUntil.entrySet().stream().filter(e -> e.getValue() - now > 0).map(e -> e.getKey().toString()).sorted().toList();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        pollFailures = 0;
        assignment = Set.copyOf(consumerAssignment());
        if (!partitions.isEmpty()) {
            log.info("Assigned {} partitions of {} topics", partitions.size(), partitions.stream().map(TopicPartition::topic).distinct().count());
            log.debug("Assigned {}", partitions);
            Consumer<byte[], byte[]> c = consumer;
            if (c != null) {
                positioning.position(c, partitions);
            }
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        poison.keySet().removeIf(id -> partitions.contains(id.partition()));
        assignment = Set.copyOf(consumerAssignment());
        if (!partitions.isEmpty()) {
            log.info("Revoked {} partitions", partitions.size());
            log.debug("Revoked {}", partitions);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    private Collection<TopicPartition> consumerAssignment() {
        Consumer<byte[], byte[]> c = consumer;
        return c == null ? Set.of() : c.assignment();
    }
}
