package dev.cdc.processor.consumer;

import dev.cdc.processor.apply.ApplyFailure;
import dev.cdc.processor.apply.ApplyResult;
import dev.cdc.processor.apply.BatchApplier;
import dev.cdc.processor.deadletter.PendingDeadLetters;
import dev.cdc.processor.metrics.ProcessorMetrics;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll's records: the partitions without trouble are applied together in one target transaction, then Kafka offsets
 * are committed; the partitions under isolation (a record failed on its data, a partition stopped, keys held back by
 * dead letters) go through {@link PoisonIsolation}, one record per transaction. A data failure of the common
 * transaction puts all its partitions under isolation. A transient failure (target unreachable...) rolls back, seeks
 * every partition back to its first record not yet applied and pauses all of them for the backoff: the same records are
 * polled again, forever, and nothing is passed over meanwhile. A partition held at a schema change waits for the
 * topic's other partitions ({@link SchemaChangeHolds}).
 */
@Singleton
class BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(BatchHandler.class);

    private final BatchApplier applier;
    private final PoisonIsolation isolation;
    private final PendingDeadLetters pending;
    private final ProcessorMetrics metrics;
    private final RetryStreak streak;
    private final PartitionBackoff backoff;
    private final ApplyGate gate;
    private final SchemaChangeHolds holds;

    BatchHandler(BatchApplier applier, PoisonIsolation isolation, PendingDeadLetters pending, ProcessorMetrics metrics, RetryStreak streak,
                 PartitionBackoff backoff, ApplyGate gate, SchemaChangeHolds holds) {
        this.applier = applier;
        this.isolation = isolation;
        this.pending = pending;
        this.metrics = metrics;
        this.streak = streak;
        this.backoff = backoff;
        this.gate = gate;
        this.holds = holds;
    }

    void handle(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch) {
        try {
            pending.ensureLoaded();
        } catch (SQLException e) {
            transientFailure(c, batch, "the target database is unavailable", e.toString());
            return;
        }
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
        }
        List<ConsumerRecord<byte[], byte[]>> together = new ArrayList<>();
        List<List<ConsumerRecord<byte[], byte[]>>> togetherGroups = new ArrayList<>();
        List<List<ConsumerRecord<byte[], byte[]>>> isolated = new ArrayList<>();
        byPartition.forEach((tp, records) -> {
            if (isolation.isolates(tp)) {
                isolated.add(records);
            } else {
                togetherGroups.add(records);
                together.addAll(records);
            }
        });
        Map<TopicPartition, OffsetAndMetadata> done = new LinkedHashMap<>();
        if (!together.isEmpty()) {
            try {
                ApplyResult result = applier.apply(together);
                metrics.committed(result);
                streak.ended();
                done.putAll(Seeks.next(together));
                holds.hold(c, result, done);
            } catch (ApplyFailure f) {
                if (f.isTransient() || !gate.isOpen()) {
                    transientFailure(c, batch, "the target database is unavailable", f.describe());
                    return;
                }
                log.info("A batch of {} records failed on a data error ({}); applying its partitions record by record to isolate the poison record",
                        together.size(), f.describe());
                isolated.addAll(togetherGroups);
            }
        }
        Seeks.commit(c, done);
        for (int g = 0; g < isolated.size(); g++) {
            List<ConsumerRecord<byte[], byte[]>> records = isolated.get(g);
            PoisonIsolation.Result result = isolation.apply(c, records, done);
            switch (result.outcome()) {
                case DONE, WAITING -> {
                }
                case CLOSING -> {
                    Seeks.commit(c, done);
                    Seeks.back(c, remaining(isolated, g, result.index()));
                    return;
                }
                case TRANSIENT -> {
                    Seeks.commit(c, done);
                    transientFailure(c, remaining(isolated, g, result.index()), result.what(), result.error());
                    return;
                }
            }
        }
        Seeks.commit(c, done);
    }

    /** The records of group {@code g} from {@code index} on and of every later group. */
    private static List<ConsumerRecord<byte[], byte[]>> remaining(List<List<ConsumerRecord<byte[], byte[]>>> groups, int g, int index) {
        List<ConsumerRecord<byte[], byte[]>> rest = new ArrayList<>(groups.get(g).subList(index, groups.get(g).size()));
        for (int i = g + 1; i < groups.size(); i++) {
            rest.addAll(groups.get(i));
        }
        return rest;
    }

    /** The target is down for every partition: all of them go back to {@code records} and wait. */
    void transientFailure(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> records, String what, String error) {
        if (records.isEmpty()) {
            return;
        }
        Duration delay = streak.failed(what, error, records.get(0), records.size());
        Seeks.back(c, records);
        backoff.pause(c, c.assignment(), delay);
    }

    /** Handling failed in an unexpected way: every record of the batch is polled again after {@code delay}. */
    void retryAll(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch, Duration delay) {
        isolation.clear();
        Seeks.back(c, batch);
        backoff.pause(c, c.assignment(), delay);
    }

    /** Shutdown: the records stay for the next consumer of these partitions. */
    void leave(Consumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch) {
        Seeks.back(c, batch);
        backoff.hold(c, c.assignment());
    }
}
