package dev.cdc.offsets.cli;

import dev.cdc.contract.BinlogCoordinates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Binlog file names, positions, distances and GTID-set syntax. */
final class Binlog {

    /** A binlog file name: base name, a dot, a sequence number ({@code binlog.000042}, {@code mysql-bin.000003}). */
    static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.[0-9]{1,10}");
    /** The first event of every binlog file starts after the 4-byte magic number. */
    static final long FIRST_POSITION = 4;

    private static final String DOMAIN_SERVER_SEQ = "[0-9]+-[0-9]+-[0-9]+";
    /** MariaDB: {@code 0-1-57,1-2-9}. */
    static final Pattern MARIADB_GTIDS = Pattern.compile(DOMAIN_SERVER_SEQ + "(," + DOMAIN_SERVER_SEQ + ")*");
    private static final String UUID = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}";
    private static final String INTERVALS = "(:([A-Za-z_][A-Za-z0-9_]{0,31}|[0-9]+(-[0-9]+)?))+";
    /** MySQL: {@code uuid:1-57:60,uuid2:1-3} (8.4 tags {@code uuid:tag:1-5} too). */
    static final Pattern MYSQL_GTIDS = Pattern.compile(UUID + INTERVALS + "(,\\s*" + UUID + INTERVALS + ")*");

    private Binlog() {
    }

    static boolean isFileName(String file) {
        return file != null && FILE.matcher(file).matches();
    }

    static boolean isGtidSet(String gtids) {
        return gtids != null && (MARIADB_GTIDS.matcher(gtids).matches() || MYSQL_GTIDS.matcher(gtids).matches());
    }

    /** The sequence number of a binlog file name ({@code binlog.000042} → 42), as the connector and processor number it. */
    static long sequence(String file) {
        return BinlogCoordinates.fileSequence(file);
    }

    /**
     * Bytes of binlog from {@code (fromFile, fromPos)} to {@code (toFile, toPos)}, with the sizes of whole files taken
     * from SHOW BINARY LOGS; null when either file is not listed or the order is reversed.
     *
     * @param logs file name → size, in the server's order
     */
    static Long bytesBetween(Map<String, Long> logs, String fromFile, long fromPos, String toFile, long toPos) {
        List<String> files = new ArrayList<>(logs.keySet());
        int from = files.indexOf(fromFile);
        int to = files.indexOf(toFile);
        if (from < 0 || to < 0 || from > to) {
            return null;
        }
        if (from == to) {
            return Math.max(0, toPos - fromPos);
        }
        long bytes = Math.max(0, logs.get(fromFile) - fromPos);
        for (int i = from + 1; i < to; i++) {
            bytes += logs.get(files.get(i));
        }
        return bytes + toPos;
    }

    /** How many file rotations lie between the two files (0 = same file); null when either is not listed. */
    static Integer filesBetween(Map<String, Long> logs, String fromFile, String toFile) {
        List<String> files = new ArrayList<>(logs.keySet());
        int from = files.indexOf(fromFile);
        int to = files.indexOf(toFile);
        return from < 0 || to < 0 ? null : to - from;
    }
}
