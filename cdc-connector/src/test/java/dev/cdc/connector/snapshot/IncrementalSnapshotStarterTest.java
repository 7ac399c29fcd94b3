package dev.cdc.connector.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.connector.config.ConnectorSettings;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class IncrementalSnapshotStarterTest {

    private static final Schema TABLE = SchemaBuilder.struct()
            .field("primaryKeyColumnNames", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build()).build();
    private static final Schema CHANGE = SchemaBuilder.struct().field("type", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("table", TABLE).build();
    private static final Schema SCHEMA_CHANGE = SchemaBuilder.struct().field("tableChanges", SchemaBuilder.array(CHANGE).build()).build();
    private static final Schema NOTIFICATION = SchemaBuilder.struct().field("aggregate_type", Schema.STRING_SCHEMA)
            .field("type", Schema.STRING_SCHEMA).build();

    private final List<String[]> signals = new ArrayList<>();
    private final IncrementalSnapshotStarter starter = new IncrementalSnapshotStarter("shop", 3, "shop", "__notes", "cdc_signal.debezium_signal",
            (id, type, data) -> signals.add(new String[] {id, type, data}));

    @Test
    void signalsTheKeyedTablesWhenTheStructureSnapshotCompleted() {
        starter.beforeCommit(List.of(created("\"shop\".\"orders\"", "id"), created("shop.nokey"), created("cdc_signal.debezium_signal", "id"),
                created("shop.customers", "id")));
        starter.beforeCommit(List.of(notification("Initial Snapshot", "STARTED")));
        assertEquals(0, signals.size(), "nothing before the structure snapshot completed");

        starter.beforeCommit(List.of(notification("Initial Snapshot", "COMPLETED"), notification("Initial Snapshot", "COMPLETED")));
        assertEquals(1, signals.size(), "one signal per term");
        assertTrue(signals.get(0)[0].startsWith("shop-initial-3-"), signals.get(0)[0]);
        assertEquals("execute-snapshot", signals.get(0)[1]);
        assertEquals("{\"type\":\"incremental\",\"data-collections\":[\"shop.orders\",\"shop.customers\"]}", signals.get(0)[2],
                "keyed tables only; the signal table itself is not snapshotted");
    }

    @Test
    void aSignalThatCannotBeWrittenFailsTheBatchWithTheFix() {
        IncrementalSnapshotStarter failing = new IncrementalSnapshotStarter("shop", 1, "shop", "__notes", "cdc_signal.debezium_signal",
                (id, type, data) -> {
                    throw new SQLException("INSERT command denied to user 'cdc'");
                });
        failing.beforeCommit(List.of(created("shop.orders", "id")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> failing.beforeCommit(List.of(notification("Initial Snapshot", "COMPLETED"))));
        assertTrue(e.getMessage().contains("GRANT INSERT on it to the connector user"), e.getMessage());
    }

    @Test
    void structureOnlyUnlessSomeTablesHaveNoKey() {
        ConnectorSettings settings = new ConnectorSettings();
        settings.setName("shop");
        Map<String, String> keyed = IncrementalSnapshotSettings.engineProperties(settings, List.of());
        assertEquals("no_data", keyed.get("snapshot.mode"));
        assertEquals("source", keyed.get("signal.enabled.channels"));
        assertEquals("cdc_signal.debezium_signal", keyed.get("signal.data.collection"));
        Map<String, String> keyless = IncrementalSnapshotSettings.engineProperties(settings, List.of("shop.nokey", "shop.log$1"));
        assertEquals("initial", keyless.get("snapshot.mode"));
        assertEquals("shop\\.nokey,shop\\.log\\$1", keyless.get("snapshot.include.collection.list"));
        assertTrue("shop.log$1".matches(IncrementalSnapshotSettings.exact("shop.log$1")));
    }

    private static SourceRecord created(String id, String... key) {
        Struct table = new Struct(TABLE).put("primaryKeyColumnNames", List.of(key));
        Struct change = new Struct(CHANGE).put("type", "CREATE").put("id", id).put("table", table);
        return new SourceRecord(Map.of(), Map.of(), "shop", null, SCHEMA_CHANGE, new Struct(SCHEMA_CHANGE).put("tableChanges", List.of(change)));
    }

    private static SourceRecord notification(String aggregate, String type) {
        return new SourceRecord(Map.of(), Map.of(), "__notes", null, NOTIFICATION,
                new Struct(NOTIFICATION).put("aggregate_type", aggregate).put("type", type));
    }
}
