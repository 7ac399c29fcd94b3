package dev.cdc.processor.event;

/**
 * One entry of an event's {@code columns}: the source type name ({@code type}), the full column type usable in
 * CREATE TABLE ({@code sqlType}), nullability, primary-key membership and the
 * source's column default (null when it has none or it is a temporal expression), used when a column is added.
 */
public record ColumnMeta(String name, String type, String sqlType, boolean nullable, boolean key, Integer length, Integer scale,
                         com.fasterxml.jackson.databind.JsonNode defaultValue) {

    public ColumnMeta(String name, String type, String sqlType, boolean nullable, boolean key, Integer length, Integer scale) {
        this(name, type, sqlType, nullable, key, length, scale, null);
    }
}
