package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.EventParser;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses a batch's records and makes sure their target tables have every column the events carry ({@link TargetSchema}).
 * This runs before the apply transaction opens, because MySQL commits an open transaction implicitly on DDL.
 */
@Singleton
public class ChangePreparer {

    private final TargetSchema schema;
    private final TableNames names;

    public ChangePreparer(TargetSchema schema, TableNames names) {
        this.schema = schema;
        this.names = names;
    }

    /** The records, parsed and with their tables ready; a record that cannot be is named in the failure. */
    List<PreparedChange> prepare(List<ConsumerRecord<byte[], byte[]>> records) throws ApplyFailure {
        List<PreparedChange> changes = new ArrayList<>(records.size());
        Set<String> tables = new HashSet<>();
        ConsumerRecord<byte[], byte[]> current = null;
        try {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                current = r;
                if (r.value() == null) {
                    changes.add(new PreparedChange(r, null, null, null));
                    continue;
                }
                ChangeEvent event = EventParser.parse(r.value());
                String table = names.target(event);
                tables.add(table);
                // A marker carries no columns: it never creates a table.
                TargetTable structure = event.op() == ChangeEvent.Op.SNAPSHOT_STARTED ? null : schema.ensure(table, event);
                changes.add(new PreparedChange(r, event, table, structure));
            }
            return changes;
        } catch (SQLException | RuntimeException e) {
            forget(tables);
            throw ApplyFailure.of(e, current);
        }
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
