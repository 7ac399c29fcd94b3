package dev.cdc.connector.transform;

import java.util.Map;

/**
 * A record's binlog position, from its source offset: file and pos of the transaction's start, event and
 * row how far into it. The tuple (file sequence, pos, event, row) increases from record to record.
 */
public record SourcePosition(String file, long pos, long event, long row, String gtids) {

    public static SourcePosition fromOffset(Map<String, ?> offset) {
        if (offset == null) {
            return new SourcePosition(null, 0, 0, 0, null);
        }
        return new SourcePosition((String) offset.get("file"), number(offset.get("pos")), number(offset.get("event")),
                number(offset.get("row")), (String) offset.get("gtids"));
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : v == null ? 0 : Long.parseLong(v.toString());
    }

    /** The sequence number of a binlog file name such as {@code binlog.000042}. */
    public long fileSequence() {
        if (file == null) {
            return 0;
        }
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return file + ":" + pos + ":" + event + ":" + row;
    }
}
