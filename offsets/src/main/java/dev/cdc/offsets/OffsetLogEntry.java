package dev.cdc.offsets;

import java.time.Instant;

/**
 * One row of the offset log. {@code offsetValue} is the offset JSON as stored, or null when the partition was deleted.
 *
 * @param kind {@code commit} (written by the engine), {@code set} or {@code reset} (written by an operator)
 */
public record OffsetLogEntry(long id, String connectorName, String partitionKey, String offsetValue, long epoch, String ownerId, String kind,
        Instant committedAt) {

    public static final String COMMIT = "commit";
    public static final String SET = "set";
    public static final String RESET = "reset";
}
