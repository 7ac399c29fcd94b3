package dev.cdc.processor.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The backoff's timing on a manual clock and scheduler: a partition resumes only when its latest backoff is over. */
class PartitionBackoffTest {

    private static final TopicPartition P0 = new TopicPartition("demo.shop.items", 0);
    private static final TopicPartition P1 = new TopicPartition("demo.shop.items", 1);

    private long now;
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final List<TopicPartition> paused = new ArrayList<>();
    private final List<TopicPartition> resumed = new ArrayList<>();
    private final ApplyGate gate = new ApplyGate();

    private final PartitionPauser pauser = new PartitionPauser() {
        @Override
        public boolean pause(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
            paused.addAll(partitions);
            return true;
        }

        @Override
        public void resume(Collection<TopicPartition> partitions) {
            resumed.addAll(partitions);
        }
    };

    private final PartitionBackoff backoff = new PartitionBackoff(pauser, (delay, task) -> {
        delays.add(delay);
        scheduled.add(task);
    }, () -> now, gate);

    @Test
    void aPartitionResumesWhenItsLatestBackoffIsOver() {
        backoff.pause(null, List.of(P0), Duration.ofMillis(100));
        now += Duration.ofMillis(50).toNanos();
        backoff.pause(null, List.of(P0, P1), Duration.ofMillis(300));
        assertEquals(List.of(P0, P0, P1), paused);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(300)), delays);
        assertEquals(List.of(P0.toString(), P1.toString()), backoff.paused());

        now += Duration.ofMillis(50).toNanos();
        scheduled.get(0).run();
        assertTrue(resumed.isEmpty(), "the later backoff of P0 keeps it paused");

        now += Duration.ofMillis(300).toNanos();
        scheduled.get(1).run();
        assertEquals(List.of(P0, P1), resumed.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList());
        assertEquals(List.of(), backoff.paused());
    }

    @Test
    void nothingIsPausedOrResumedOnceTheGateIsClosed() {
        backoff.pause(null, List.of(P0), Duration.ofMillis(100));
        gate.close(Duration.ofSeconds(1));
        now += Duration.ofSeconds(1).toNanos();
        scheduled.get(0).run();
        backoff.pause(null, List.of(P1), Duration.ofMillis(100));
        assertEquals(List.of(P0), paused);
        assertTrue(resumed.isEmpty());
    }
}
