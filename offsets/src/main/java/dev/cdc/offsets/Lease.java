package dev.cdc.offsets;

/** A lease held by {@code ownerId} for {@code connectorName}, valid only while its {@code epoch} is the current one. */
public record Lease(String connectorName, String ownerId, long epoch) {
}
