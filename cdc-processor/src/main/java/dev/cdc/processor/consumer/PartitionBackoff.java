package dev.cdc.processor.consumer;

import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Retry waits without sleeping on the poll thread: partitions are paused for their backoff and a scheduled task
 * resumes them, so a long backoff cannot exceed {@code max.poll.interval.ms} and the consumer stays in its group. A
 * later backoff of the same partition keeps it paused until the later deadline. The clock and the scheduler are
 * injected so that the timing can be tested.
 */
@Singleton
public class PartitionBackoff {

    /** Runs a task after a delay. */
    interface Delayer {
        void after(Duration delay, Runnable task);
    }

    private final PartitionPauser pauser;
    private final Delayer delayer;
    private final LongSupplier nanoClock;
    private final ApplyGate gate;
    /** Paused partitions with the clock value at which they may resume. */
    private final Map<TopicPartition, Long> until = new HashMap<>();

    @Inject
    PartitionBackoff(PartitionPauser pauser, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, ApplyGate gate) {
        this(pauser, (delay, task) -> scheduler.schedule(delay, task), System::nanoTime, gate);
    }

    PartitionBackoff(PartitionPauser pauser, Delayer delayer, LongSupplier nanoClock, ApplyGate gate) {
        this.pauser = pauser;
        this.delayer = delayer;
        this.nanoClock = nanoClock;
        this.gate = gate;
    }

    /** Pauses {@code partitions} of {@code c} for {@code delay}. */
    void pause(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions, Duration delay) {
        if (!gate.isOpen() || partitions.isEmpty()) {
            return;
        }
        long deadline = nanoClock.getAsLong() + delay.toNanos();
        synchronized (until) {
            if (!pauser.pause(c, partitions)) {
                // Not registered with micronaut-kafka (cannot happen for its own consumer): wait here, bounded by retry-backoff-max.
                gate.sleep(delay);
                return;
            }
            for (TopicPartition tp : partitions) {
                until.merge(tp, deadline, Math::max);
            }
        }
        delayer.after(delay, this::resumeDue);
    }

    /** Pauses without a deadline (shutdown: the records stay for the next consumer of these partitions). */
    void hold(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            try {
                pauser.pause(c, partitions);
            } catch (RuntimeException closing) {
                // The consumer is closing anyway.
            }
        }
    }

    /** Resumes the partitions whose backoff is over. */
    void resumeDue() {
        synchronized (until) {
            long now = nanoClock.getAsLong();
            List<TopicPartition> due = new ArrayList<>();
            for (Iterator<Map.Entry<TopicPartition, Long>> it = until.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TopicPartition, Long> e = it.next();
                if (e.getValue() - now <= 0) {
                    due.add(e.getKey());
                    it.remove();
                }
            }
            if (!due.isEmpty() && gate.isOpen()) {
                pauser.resume(due);
            }
        }
    }

    /** Partitions paused for a retry backoff right now, as topic-partition, for /health. */
    public List<String> paused() {
        long now = nanoClock.getAsLong();
        synchronized (until) {
            return until.entrySet().stream().filter(e -> e.getValue() - now > 0).map(e -> e.getKey().toString()).sorted().toList();
        }
    }
}
