package dev.cdc.processor.event;

/**
 * One entry of an event's {@code columns}: the source type name ({@code type}), the full column type usable in
 * CREATE TABLE ({@code sqlType}), nullability and primary-key membership.
 */
public record ColumnMeta(String name, String type, String sqlType, boolean nullable, boolean key, Integer length, Integer scale) {
}
