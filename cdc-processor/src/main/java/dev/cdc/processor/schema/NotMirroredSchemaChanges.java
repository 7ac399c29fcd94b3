package dev.cdc.processor.schema;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Schema changes the target did not follow ({@code cdc.processor.schema-changes} additive or none), counted once per
 * change (its copies on other partitions are the same change): the counter {@value #METRIC} by kind, and per target
 * table for /health. The log names only the first one per table and kind.
 */
@Singleton
public class NotMirroredSchemaChanges {

    public static final String METRIC = "cdc.processor.schema.changes.not.mirrored";

    private final MeterRegistry registry;
    private final Map<String, Object> lastPosition = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> perTable = new ConcurrentHashMap<>();

    public NotMirroredSchemaChanges(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String table, SchemaChange change) {
        Object position = change.position();
        if (position != null && position.equals(lastPosition.put(table + "\u0000" + change.kind(), position))) {
            return;
        }
        Counter.builder(METRIC).tag("kind", change.kind().name().toLowerCase(Locale.ROOT))
                .description("Schema changes of the source the target did not follow (cdc.processor.schema-changes additive or none)")
                .register(registry).increment();
        perTable.computeIfAbsent(table, t -> new AtomicLong()).incrementAndGet();
    }

    /** Not-mirrored changes by target table, sorted by name; empty when the target followed every change. */
    public Map<String, Long> perTable() {
        Map<String, Long> out = new TreeMap<>();
        perTable.forEach((table, n) -> out.put(table, n.get()));
        return out;
    }
}
