package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.EventParser;
import dev.cdc.processor.position.TopicIds;
import dev.cdc.processor.schema.SchemaChange;
import dev.cdc.processor.schema.SchemaChangeApplier;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses a batch's records and makes sure their target tables have every column the events carry ({@link TargetSchema}).
 * This runs before the apply transaction opens, because MySQL commits an open transaction implicitly on DDL.
 *
 * <p>Schema changes (op s): a change without barrier (CREATE TABLE) is applied here; a change that waits for every
 * partition of its topic stops its partition for the round ({@link SchemaChangeRound}). A record the target holds
 * already ({@link AppliedWatermarks}) runs no DDL: it must not bring back a column or table dropped since.
 */
@Singleton
public class ChangePreparer {

    private final TargetSchema schema;
    private final TableNames names;
    private final SchemaChangeApplier schemaChanges;
    private final DataSource dataSource;
    private final TopicIds topicIds;

    public ChangePreparer(TargetSchema schema, TableNames names, SchemaChangeApplier schemaChanges, DataSource dataSource, TopicIds topicIds) {
        this.schema = schema;
        this.names = names;
        this.schemaChanges = schemaChanges;
        this.dataSource = dataSource;
        this.topicIds = topicIds;
    }

    /**
     * The records, parsed and with their tables ready, up to the schema change each partition stops at ({@code round}
     * keeps the records behind it); a record that cannot be prepared is named in the failure.
     */
    List<PreparedChange> prepare(List<ConsumerRecord<byte[], byte[]>> records, SchemaChangeRound round) throws ApplyFailure {
        AppliedWatermarks applied;
        try {
            applied = AppliedWatermarks.read(dataSource, records, topicIds);
        } catch (SQLException | RuntimeException e) {
            throw ApplyFailure.of(e, null);
        }
        return prepare(records, round, applied);
    }

    /** A record passed over earlier, prepared for a replay: the watermark is past it on purpose. */
    PreparedChange prepareReplay(ConsumerRecord<byte[], byte[]> record) throws ApplyFailure {
        return prepare(List.of(record), null, AppliedWatermarks.none(topicIds)).get(0);
    }

    private List<PreparedChange> prepare(List<ConsumerRecord<byte[], byte[]>> records, SchemaChangeRound round, AppliedWatermarks applied)
            throws ApplyFailure {
        List<PreparedChange> changes = new ArrayList<>(records.size());
        Set<String> tables = new HashSet<>();
        ConsumerRecord<byte[], byte[]> current = null;
        try {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                current = r;
                if (round != null && round.keeps(r)) {
                    continue;
                }
                if (r.value() == null) {
                    changes.add(new PreparedChange(r, null, null, null));
                    continue;
                }
                ChangeEvent event = EventParser.parse(r.value());
                String table = names.target(event);
                tables.add(table);
                boolean held = applied.holds(r, event);
                if (event.op() == ChangeEvent.Op.SCHEMA_CHANGE) {
                    changes.add(prepareSchemaChange(r, event, table, held, round));
                    continue;
                }
                // A marker carries no columns: it never creates a table.
                TargetTable structure = event.op() == ChangeEvent.Op.SNAPSHOT_STARTED || held ? null : schema.ensure(table, event);
                changes.add(new PreparedChange(r, event, table, structure));
            }
            return changes;
        } catch (SQLException | RuntimeException e) {
            forget(tables);
            throw ApplyFailure.of(e, current);
        }
    }

    private PreparedChange prepareSchemaChange(ConsumerRecord<byte[], byte[]> r, ChangeEvent event, String table, boolean held,
                                               SchemaChangeRound round) throws SQLException {
        SchemaChange change = SchemaChange.of(event, r.value());
        schemaChanges.prepare();
        boolean barrier = round != null && schemaChanges.needsBarrier(change);
        if (!barrier && !held) {
            // A replay (no round) runs the change here too: the operator decided it goes now.
            schemaChanges.applyNow(change);
        }
        PreparedChange prepared = new PreparedChange(r, event, table, null, change, barrier);
        if (barrier) {
            round.stopsAt(prepared);
        }
        return prepared;
    }

    /** The tables of {@code changes}, each once. */
    static Set<String> tables(List<PreparedChange> changes) {
        Set<String> tables = new HashSet<>();
        for (PreparedChange change : changes) {
            if (change.table() != null) {
                tables.add(change.table());
            }
        }
        return tables;
    }

    /** After a failed apply the cached structures may be stale (a concurrent DDL, a dropped table): read them again next time. */
    void forget(Set<String> tables) {
        tables.forEach(schema::invalidate);
    }
}
