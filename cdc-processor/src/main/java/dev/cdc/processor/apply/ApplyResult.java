package dev.cdc.processor.apply;

import dev.cdc.processor.event.ChangeEvent;
import java.util.EnumMap;
import java.util.Map;

/** What one committed apply transaction did; the metrics are counted from it after the commit. */
public final class ApplyResult {

    private final Map<ChangeEvent.Op, Integer> applied = new EnumMap<>(ChangeEvent.Op.class);
    private int duplicates;
    private int redelivered;
    private int tombstones;

    void applied(ChangeEvent.Op op) {
        applied.merge(op, 1, Integer::sum);
    }

    void duplicate() {
        duplicates++;
    }

    void countRedelivered() {
        redelivered++;
    }

    void tombstone() {
        tombstones++;
    }

    public Map<ChangeEvent.Op, Integer> applied() {
        return applied;
    }

    public int appliedTotal() {
        return applied.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Streamed events at or below the partition's watermark (re-sent after a connector failover). */
    public int duplicates() {
        return duplicates;
    }

    /** Records below the partition's next offset (seen again after a crash between the target and the Kafka commit). */
    public int redelivered() {
        return redelivered;
    }

    public int tombstones() {
        return tombstones;
    }
}
