package dev.cdc.processor.consumer;

import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.config.Topics;
import dev.cdc.processor.deadletter.DeadLettering;
import dev.cdc.processor.deadletter.StoppedPartitions;
import dev.cdc.processor.policy.ErrorPolicies;
import dev.cdc.processor.position.ConsumerPositioning;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription: a micronaut-kafka batch {@link KafkaListener} subscribed by pattern to {@code <prefix>.<db>.<table>}
 * (read_committed, no auto commit, offsets committed by hand after the target transaction), its rebalance callbacks
 * and its shutdown. micronaut-kafka owns the consumer and its poll loop (one thread); each poll's records arrive here
 * and go to {@link BatchHandler}, under the {@link ApplyGate}.
 *
 * <p>The listener never sleeps on the poll thread while it waits for a retry ({@link PartitionBackoff}), so a long
 * backoff cannot exceed {@code max.poll.interval.ms}. It never throws either: micronaut-kafka would log the error and
 * go on past the batch (error strategy NONE), so every failure is turned into a seek back.
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
    static final String CLIENT_ID = "cdc-processor";
    /** {@code metadata.max.age.ms} of the consumer unless {@code kafka.metadata.max.age.ms} is set. */
    public static final String DEFAULT_METADATA_MAX_AGE_MS = "10000";
    /**
     * The subscription: {@code <cdc.topic-prefix>.<db>.<table>}, the prefix quoted; the same regular expression as
     * {@link Topics#changeTopicPattern()}, so {@code <prefix>.dlq} never matches.
     */
    public static final String TOPIC_PATTERN = "\\Q${cdc.topic-prefix}\\E\\.[^.]+\\.[^.]+";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final ProcessorConfig config;
    private final Topics topics;
    private final BatchHandler handler;
    private final PoisonIsolation isolation;
    private final StoppedPartitions stopped;
    private final ErrorPolicies policies;
    private final DeadLettering deadLettering;
    private final ListenerStatus status;
    private final ApplyGate gate;
    private final ConsumerPositioning positioning;
    private volatile Consumer<byte[], byte[]> consumer;
    private int pollFailures;

    public ChangeListener(ProcessorConfig config, Topics topics, BatchHandler handler, PoisonIsolation isolation, StoppedPartitions stopped,
                          ErrorPolicies policies, DeadLettering deadLettering, ListenerStatus status, ApplyGate gate,
                          ConsumerPositioning positioning) {
        this.config = config;
        this.topics = topics;
        this.handler = handler;
        this.isolation = isolation;
        this.stopped = stopped;
        this.policies = policies;
        this.deadLettering = deadLettering;
        this.status = status;
        this.gate = gate;
        this.positioning = positioning;
    }

    /** Called by micronaut-kafka with the new consumer, before it subscribes. */
    @Override
    public void setKafkaConsumer(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        status.consumerCreated();
        log.info("Consuming topics matching '{}' as group '{}'; a record the target refuses on its data is retried {} times, then its "
                + "partition stops (error policy {}, the default) or it goes to '{}' (policy dead-letter)", topics.changeTopicPattern(),
                config.getGroupId(), config.getMaxAttempts(), policies.defaultPolicy().setting(), deadLettering.topic());
    }

    /** One poll's records, in poll order. */
    @Topic(patterns = TOPIC_PATTERN)
    public void receive(ConsumerRecords<byte[], byte[]> records, Consumer<byte[], byte[]> c) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        if (batch.isEmpty()) {
            return;
        }
        gate.enter();
        try {
            if (!gate.isOpen()) {
                handler.leave(c, batch);
                return;
            }
            handler.handle(c, batch);
            pollFailures = 0;
        } catch (WakeupException e) {
            // micronaut-kafka's shutdown woke the consumer while we used it. Its poll loop ends on that exception,
            // and it would treat one thrown from here as a listener error: wake the consumer again for the next poll.
            c.wakeup();
        } catch (Error e) {
            // micronaut-kafka's poll thread ends on it: report the listener dead on /health.
            status.died();
            log.error("The listener failed fatally ({}); the processor no longer consumes. Restart it.", e.toString(), e);
            throw e;
        } catch (RuntimeException e) {
            // Not expected (apply and DLQ failures are handled by the handler). Like a consumer restart: start again
            // from the batch's first records; what is already applied is skipped by its watermark offset.
            pollFailures++;
            Duration delay = config.backoff(pollFailures);
            log.error("Handling a batch of {} records failed ({}); applying it again in {} ms", batch.size(), e, delay.toMillis(), e);
            try {
                handler.retryAll(c, batch, delay);
            } catch (RuntimeException again) {
                log.error("Could not seek back after the failure ({}): records of this batch from {}-{}@{} on may not be applied; "
                        + "restart the processor to read again from the committed offsets", again.toString(), batch.get(0).topic(),
                        batch.get(0).partition(), batch.get(0).offset());
            }
        } finally {
            gate.leave();
        }
    }

    /**
     * Errors micronaut-kafka's poll loop reports outside of a batch (e.g. the broker refuses the consumer's requests):
     * logged with a backoff before the next poll, bounded by {@code retry-backoff-max}, like the restart of a plain
     * consumer loop. /health is DOWN while it waits.
     */
    @Override
    public void handle(KafkaListenerException exception) {
        if (!gate.isOpen()) {
            return;
        }
        pollFailures++;
        ListenerStatus.State before = status.state();
        status.state(ListenerStatus.State.FAILED);
        Duration delay = config.backoff(pollFailures);
        Throwable cause = exception.getCause() == null ? exception : exception.getCause();
        log.error("Kafka consumer failed ({}); polling again in {} ms. Check kafka.bootstrap.servers and the broker's health.",
                cause, delay.toMillis(), cause);
        gate.sleep(delay);
        if (gate.isOpen() && !status.isDead()) {
            status.state(before == ListenerStatus.State.RETRYING ? ListenerStatus.State.RETRYING : ListenerStatus.State.RUNNING);
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
        if (!gate.isOpen()) {
            return;
        }
        boolean finished = gate.close(SHUTDOWN_WAIT);
        status.closed();
        log.info("Consumer stopped{}", finished ? "" : " (a batch was still being applied after 60 s; it is rolled back or skipped by its watermark when it comes again)");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        pollFailures = 0;
        status.assignment(consumerAssignment());
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
        isolation.forget(partitions);
        stopped.forget(partitions);
        status.assignment(consumerAssignment());
        if (!partitions.isEmpty()) {
            log.info("Revoked {} partitions", partitions.size());
            log.debug("Revoked {}", partitions);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    private Set<TopicPartition> consumerAssignment() {
        Consumer<byte[], byte[]> c = consumer;
        return c == null ? Set.of() : c.assignment();
    }
}
