package dev.cdc.processor.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cdc.contract.SourcePosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotMirroredSchemaChangesTest {

    @Test
    void eachChangeCountsOnceWhateverItsCopies() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NotMirroredSchemaChanges counts = new NotMirroredSchemaChanges(registry);
        SchemaChange drop = change(SchemaChange.Kind.DROP, 100);
        counts.record("items", drop);
        counts.record("items", drop);
        counts.record("items", change(SchemaChange.Kind.ALTER, 200));
        counts.record("items", change(SchemaChange.Kind.ALTER, 300));
        counts.record("notes", change(SchemaChange.Kind.ALTER, 300));
        assertEquals(1.0, registry.get(NotMirroredSchemaChanges.METRIC).tag("kind", "drop").counter().count());
        assertEquals(3.0, registry.get(NotMirroredSchemaChanges.METRIC).tag("kind", "alter").counter().count());
        assertEquals(Map.of("items", 3L, "notes", 1L), counts.perTable());
    }

    private static SchemaChange change(SchemaChange.Kind kind, long pos) {
        return new SchemaChange(kind, "shop", "items", "ALTER TABLE shop.items DROP COLUMN x", "shop", null, null, 1, null,
                new SourcePosition(0, 1, pos, 0, 0, 0), false);
    }
}
