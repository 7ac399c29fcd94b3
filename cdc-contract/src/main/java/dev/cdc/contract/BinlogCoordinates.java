package dev.cdc.contract;

import java.util.Map;

/**
 * Where a record sits in one binlog history, as the engine's source offset gives it: {@code file} and {@code pos} of
 * the transaction's start, {@code event} and {@code row} how far into it, and the GTID set ({@code gtids}) when the
 * server has GTIDs. Comparable only within one lineage generation, see {@link SourcePosition}.
 */
public record BinlogCoordinates(String file, long pos, long event, long row, String gtids) {

    /** From a Debezium MySQL/MariaDB source offset map; missing fields are 0 (a snapshot offset has no event/row). */
    public static BinlogCoordinates fromOffset(Map<String, ?> offset) {
        if (offset == null) {
            return new BinlogCoordinates(null, 0, 0, 0, null);
        }
        Object gtids = offset.get("gtids");
        return new BinlogCoordinates((String) offset.get("file"), number(offset.get("pos")), number(offset.get("event")),
                number(offset.get("row")), gtids == null ? null : gtids.toString());
    }

    /** The sequence number of the file, {@code binlog.000042} → 42. */
    public long fileSequence() {
        return fileSequence(file);
    }

    /**
     * {@code binlog.000123} → 123; {@code mysql-bin.000007} → 7.
     *
     * @throws IllegalArgumentException when the name is missing or does not end in {@code .<digits>}
     */
    public static long fileSequence(String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("binlog file name is missing");
        }
        String digits = file.substring(file.lastIndexOf('.') + 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("binlog file name '" + file + "' does not end in .<sequence number>");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("binlog file name '" + file + "' has a sequence number out of range", e);
        }
    }

    /** The {@link Headers#POSITION} value: {@code file:pos:event:row:sub}. */
    public String header(long sub) {
        return file + ":" + pos + ":" + event + ":" + row + ":" + sub;
    }

    @Override
    public String toString() {
        return file + ":" + pos + ":" + event + ":" + row;
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : v == null ? 0 : Long.parseLong(v.toString());
    }
}
