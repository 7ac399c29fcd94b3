package dev.cdc.contract;

/**
 * The total order of change records of one connector (docs/design.md, "Apply once with lineage"): the lineage
 * {@code generation} first, then (binlog file sequence number, position of the transaction, event index, row index,
 * sub-record index). Binlog coordinates compare only within one binlog history; the generation is bumped whenever the
 * history may change (offsets set or reset, another source server), so a record of a newer generation is never taken
 * for a duplicate of an older one, whatever its coordinates.
 */
public record SourcePosition(long generation, long fileSeq, long pos, long event, long row, long sub)
        implements Comparable<SourcePosition> {

    public static SourcePosition of(long generation, String file, long pos, long event, long row, long sub) {
        return new SourcePosition(generation, BinlogCoordinates.fileSequence(file), pos, event, row, sub);
    }

    public static SourcePosition of(long generation, BinlogCoordinates coordinates, long sub) {
        return new SourcePosition(generation, coordinates.fileSequence(), coordinates.pos(), coordinates.event(), coordinates.row(), sub);
    }

    @Override
    public int compareTo(SourcePosition o) {
        int c = Long.compare(generation, o.generation);
        if (c == 0) {
            c = Long.compare(fileSeq, o.fileSeq);
        }
        if (c == 0) {
            c = Long.compare(pos, o.pos);
        }
        if (c == 0) {
            c = Long.compare(event, o.event);
        }
        if (c == 0) {
            c = Long.compare(row, o.row);
        }
        if (c == 0) {
            c = Long.compare(sub, o.sub);
        }
        return c;
    }

    /** True when this position is at or below {@code watermark} (null: nothing applied yet), i.e. already applied. */
    public boolean isAtOrBelow(SourcePosition watermark) {
        return watermark != null && compareTo(watermark) <= 0;
    }

    /** True when this position starts a newer lineage generation than {@code watermark}. */
    public boolean startsNewGeneration(SourcePosition watermark) {
        return watermark != null && generation > watermark.generation;
    }

    @Override
    public String toString() {
        return "g" + generation + ":" + fileSeq + ":" + pos + ":" + event + ":" + row + ":" + sub;
    }
}
