package dev.cdc.contract;

/** Kafka header names of change records; every value is a UTF-8 string. */
public final class Headers {

    /** {@code file:pos:event:row:sub}, see {@link BinlogCoordinates#header(long)}. */
    public static final String POSITION = "cdc.position";
    /** The lineage generation of the position (decimal). */
    public static final String GENERATION = "cdc.generation";
    /** Lease epoch of the publishing instance. */
    public static final String EPOCH = "cdc.epoch";
    /** Instance id of the publisher. */
    public static final String INSTANCE = "cdc.instance";
    /** Connector name. */
    public static final String CONNECTOR = "cdc.connector";

    private Headers() {
    }
}
