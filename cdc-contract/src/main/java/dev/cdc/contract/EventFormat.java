package dev.cdc.contract;

/**
 * Versions of the event format (docs/event-format.md). A producer writes {@link #VERSION}; a consumer reads every
 * version in {@link #isReadable} and rejects the others, so that an unknown format is never half-understood.
 */
public final class EventFormat {

    /**
     * Version 2 added {@code source.generation} and {@code source.server} (the position's lineage); version 3 writes
     * JSON column values as their text (a string) and spatial values as {@code {"srid", "wkb"}}, and added schema-change
     * events ({@link #OP_SCHEMA_CHANGE}).
     */
    public static final int VERSION = 3;
    /** The oldest version a consumer still reads; its events belong to generation 0 of an unknown server. */
    public static final int OLDEST_READABLE = 1;

    /**
     * The op of a control event: not a row change, but a fact about a table's stream (format version 2).
     * {@link #MARKER_SNAPSHOT_STARTED} is its only kind so far.
     */
    public static final String OP_MARKER = "m";
    /**
     * A snapshot of the table starts at the marker's position: it supersedes every earlier change of the table. The
     * connector sends it to every partition of the table's topic before the snapshot's first row, also for an empty
     * table (docs/design.md, "Converge").
     */
    public static final String MARKER_SNAPSHOT_STARTED = "snapshot_started";

    /**
     * The op of a schema-change event (format version 3): a DDL statement of the table, sent to every partition of the
     * table's topic at its place among the rows (docs/event-format.md, "Schema changes").
     */
    public static final String OP_SCHEMA_CHANGE = "s";

    private EventFormat() {
    }

    public static boolean isReadable(int version) {
        return version >= OLDEST_READABLE && version <= VERSION;
    }
}
