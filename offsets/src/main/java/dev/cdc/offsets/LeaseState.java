package dev.cdc.offsets;

import java.time.Instant;

/** The lease row as stored; {@code expired} is judged by the database clock at the time of reading. */
public record LeaseState(String connectorName, String ownerId, long epoch, Instant expiresAt, Instant acquiredAt, Instant renewedAt,
        boolean expired) {
}
