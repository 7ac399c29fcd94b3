package dev.cdc.processor.consumer;

import dev.cdc.processor.deadletter.PendingDeadLetters;
import dev.cdc.processor.deadletter.StoppedPartitions;
import dev.cdc.processor.schema.NotMirroredSchemaChanges;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * /health: UP while the change listener runs (also while it retries a transient target failure); DOWN before
 * micronaut-kafka created its consumer, while a failed poll waits for its backoff, after shutdown started, and while a
 * partition is stopped at a record the target refuses (error policy stop), naming the table, the source position and
 * the error. Tables with dead letters not yet replayed are listed as {@code divergedTables} (the listener still runs,
 * so they do not turn it DOWN). Schema changes the target did not follow (schema-changes additive or none) are counted
 * per table as {@code schemaChangesNotMirrored}.
 */
@Singleton
public class ConsumerHealthIndicator implements HealthIndicator {

    private final ListenerStatus status;
    private final PartitionBackoff backoff;
    private final StoppedPartitions stopped;
    private final PendingDeadLetters pending;
    private final NotMirroredSchemaChanges notMirrored;

    public ConsumerHealthIndicator(ListenerStatus status, PartitionBackoff backoff, StoppedPartitions stopped, PendingDeadLetters pending,
                                   NotMirroredSchemaChanges notMirrored) {
        this.status = status;
        this.backoff = backoff;
        this.stopped = stopped;
        this.pending = pending;
        this.notMirrored = notMirrored;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ListenerStatus.State state = status.state();
        List<StoppedPartitions.Stop> stops = stopped.list();
        boolean up = status.isAlive() && state != ListenerStatus.State.FAILED && state != ListenerStatus.State.STOPPED && stops.isEmpty();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("assignedPartitions", status.assignment().size());
        details.put("pausedPartitions", backoff.paused());
        if (!stops.isEmpty()) {
            details.put("stoppedPartitions", stops.stream().map(ConsumerHealthIndicator::describe).toList());
        }
        Map<String, Integer> diverged = pending.divergedTables();
        if (!diverged.isEmpty()) {
            details.put("divergedTables", diverged);
        }
        Map<String, Long> notFollowed = notMirrored.perTable();
        if (!notFollowed.isEmpty()) {
            details.put("schemaChangesNotMirrored", notFollowed);
        }
        return Publishers.just(HealthResult.builder("cdcProcessor", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }

    private static Map<String, Object> describe(StoppedPartitions.Stop s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", s.partition().toString());
        m.put("table", s.table());
        m.put("offset", s.offset());
        m.put("position", s.position());
        m.put("error", s.error());
        m.put("attempts", s.attempts());
        m.put("since", s.since().toString());
        return m;
    }
}
