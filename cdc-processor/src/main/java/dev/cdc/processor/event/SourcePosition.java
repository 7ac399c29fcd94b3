package dev.cdc.processor.event;

/**
 * Where a change sits in the source's binary log: (file sequence number, position of the transaction,
 * event index, row index, sub-record index), compared in that order. Within one connector the position of streamed records
 * strictly increases, so "at or below the highest applied position" means "already applied".
 */
public record SourcePosition(long fileSeq, long pos, long event, long row, long sub) implements Comparable<SourcePosition> {

    /** {@code sub} numbers the records one binlog row produces (a primary-key update is a delete and a create). */
    public SourcePosition(long fileSeq, long pos, long event, long row) {
        this(fileSeq, pos, event, row, 0);
    }

    /** {@code binlog.000123} → 123; {@code mysql-bin.000007} → 7. */
    public static long fileSequence(String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("binlog file name is missing");
        }
        int dot = file.lastIndexOf('.');
        String digits = file.substring(dot + 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("binlog file name '" + file + "' does not end in .<sequence number>");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("binlog file name '" + file + "' has a sequence number out of range", e);
        }
    }

    public static SourcePosition of(String file, long pos, long event, long row) {
        return new SourcePosition(fileSequence(file), pos, event, row, 0);
    }

    public static SourcePosition of(String file, long pos, long event, long row, long sub) {
        return new SourcePosition(fileSequence(file), pos, event, row, sub);
    }

    @Override
    public int compareTo(SourcePosition o) {
        int c = Long.compare(fileSeq, o.fileSeq);
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

    /** True when this position is at or below {@code watermark} (null: nothing applied yet). */
    public boolean isAtOrBelow(SourcePosition watermark) {
        return watermark != null && compareTo(watermark) <= 0;
    }

    @Override
    public String toString() {
        return fileSeq + ":" + pos + ":" + event + ":" + row + ":" + sub;
    }
}
