package dev.cdc.contract;

/**
 * Versions of the event format (docs/event-format.md). A producer writes {@link #VERSION}; a consumer reads every
 * version in {@link #isReadable} and rejects the others, so that an unknown format is never half-understood.
 */
public final class EventFormat {

    /** Version 2 added {@code source.generation} and {@code source.server} (the position's lineage). */
    public static final int VERSION = 2;
    /** The oldest version a consumer still reads; its events belong to generation 0 of an unknown server. */
    public static final int OLDEST_READABLE = 1;

    private EventFormat() {
    }

    public static boolean isReadable(int version) {
        return version >= OLDEST_READABLE && version <= VERSION;
    }
}
