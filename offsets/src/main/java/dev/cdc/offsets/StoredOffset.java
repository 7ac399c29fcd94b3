package dev.cdc.offsets;

import java.time.Instant;
import java.util.Map;

/**
 * The latest offset of one source partition as stored in {@code cdc_offset}.
 *
 * @param partitionKey the offset key JSON as stored, e.g. {@code ["demo",{"server":"demo"}]}
 * @param offset the offset JSON parsed into a map (e.g. file, pos, gtids, event, row, server_id, ts_sec)
 * @param epoch the lease epoch of the writer
 */
public record StoredOffset(String connectorName, String partitionKey, Map<String, Object> offset, long epoch, Instant committedAt) {

    public StoredOffset {
        offset = offset == null ? Map.of() : java.util.Collections.unmodifiableMap(offset);
    }

    /** The partition map of the key ({@code {"server":"demo"}}), or null if the key is not {@code [name, partition]}. */
    public Map<String, Object> partition() {
        return OffsetStoreReader.partitionOf(partitionKey);
    }
}
