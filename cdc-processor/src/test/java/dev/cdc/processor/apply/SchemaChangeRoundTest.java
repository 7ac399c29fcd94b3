package dev.cdc.processor.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.contract.SourcePosition;
import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.schema.SchemaChange;
import dev.cdc.processor.schema.SchemaChangeApplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SchemaChangeRoundTest {

    private static final String TOPIC = "cdc.shop.items";

    /** Completes the changes of the tables named, as if every copy of them had arrived. */
    private static final class Barrier extends SchemaChangeApplier {
        private final Set<String> complete;

        Barrier(Set<String> complete) {
            super(null, new TableNames(new ProcessorConfig()), new TargetSchema(null, new TargetTypes(null)), new TargetTypes(null),
                    new dev.cdc.processor.schema.NotMirroredSchemaChanges(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), new ProcessorConfig());
            this.complete = complete;
        }

        @Override
        public boolean tryComplete(SchemaChange change) {
            return complete.contains(change.table());
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>(TOPIC, partition, offset, null, new byte[] {1});
    }

    private static PreparedChange barrier(int partition, long offset, String table) {
        SchemaChange change = new SchemaChange(SchemaChange.Kind.ALTER, "shop", table, "ALTER TABLE " + table + " ADD c INT", "shop",
                null, null, 2, null, new SourcePosition(0, 1, 100 + offset, 0, 0, 0), false);
        return new PreparedChange(record(partition, offset), null, table, null, change, true);
    }

    @Test
    void aPartitionWhoseChangeIsAppliedGoesOnAndOneWhoseChangeWaitsIsHeldBack() throws Exception {
        SchemaChangeRound round = new SchemaChangeRound();
        PreparedChange applied = barrier(0, 5, "items");
        PreparedChange waiting = barrier(1, 3, "orders");
        assertFalse(round.keeps(record(0, 4)), "nothing is kept before the partition stops at a change");
        round.stopsAt(applied);
        round.stopsAt(waiting);
        assertTrue(round.keeps(record(0, 6)));
        assertTrue(round.keeps(record(0, 7)));
        assertTrue(round.keeps(record(1, 4)));
        assertFalse(round.keeps(record(2, 9)), "other partitions are not stopped");
        round.arrived(applied);
        round.arrived(waiting);

        List<ConsumerRecord<byte[], byte[]>> skipped = new ArrayList<>();
        ApplyResult result = new ApplyResult();
        List<ConsumerRecord<byte[], byte[]>> next = round.next(new Barrier(Set.of("items")), skipped::add, result);

        assertEquals(List.of(6L, 7L), next.stream().map(ConsumerRecord::offset).toList(), "the records behind the applied change follow");
        assertEquals(List.of(5L), skipped.stream().map(ConsumerRecord::offset).toList(), "the partition moves past the applied change");
        assertEquals(Map.of(new TopicPartition(TOPIC, 1), 3L), result.heldBack(), "the other partition waits on its change");
        assertEquals(1, result.schemaChangesPassed());
    }

    @Test
    void aChangeThatDidNotArriveBecauseItWasPassedAlreadyLetsItsRecordsFollow() throws Exception {
        SchemaChangeRound round = new SchemaChangeRound();
        round.stopsAt(barrier(0, 5, "items"));
        assertTrue(round.keeps(record(0, 6)));

        ApplyResult result = new ApplyResult();
        List<ConsumerRecord<byte[], byte[]>> next = round.next(new Barrier(Set.of()), r -> {
            throw new AssertionError("nothing to move past");
        }, result);

        assertEquals(List.of(6L), next.stream().map(ConsumerRecord::offset).toList());
        assertTrue(result.heldBack().isEmpty());
    }
}
