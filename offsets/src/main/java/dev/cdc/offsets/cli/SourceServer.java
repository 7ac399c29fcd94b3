package dev.cdc.offsets.cli;

import dev.cdc.contract.ServerIdentity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A short-lived connection to the source MySQL/MariaDB server, as a user with REPLICATION CLIENT (BINLOG MONITOR on
 * MariaDB): its binlog settings, its binary logs, its head position and its GTID state. Reads only.
 */
final class SourceServer implements AutoCloseable {

    /** What the source says about its binary log. */
    record Status(String version, boolean mariadb, long serverId, boolean logBin, String binlogFormat, String rowImage,
            Map<String, Long> binaryLogs, String headFile, Long headPos, String gtidHead, String gtidPurged, Instant now) {

        String oldestFile() {
            return binaryLogs.isEmpty() ? null : binaryLogs.keySet().iterator().next();
        }

        /** "no binlogs", "only binlog.000002" or "3 binlogs, binlog.000002 to binlog.000004". */
        String describeFiles() {
            int n = binaryLogs.size();
            return n == 0 ? "no binlogs" : n == 1 ? "only " + oldestFile() : n + " binlogs, " + oldestFile() + " to " + headFile;
        }
    }

    /** Whether a binlog position starts an event. */
    enum EventAt { EVENT, END_OF_FILE, NOT_AN_EVENT }

    private static final int ER_NO_BINARY_LOGGING = 1381;
    private static final int ER_ERROR_WHEN_EXECUTING_COMMAND = 1220;

    private final Settings.SourceTarget target;
    private final Connection connection;

    private SourceServer(Settings.SourceTarget target, Connection connection) {
        this.target = target;
        this.connection = connection;
    }

    static SourceServer connect(Settings.SourceTarget target) {
        try {
            return new SourceServer(target, DriverManager.getConnection(target.url(), target.user(), target.password()));
        } catch (SQLException e) {
            if (e.getErrorCode() == 1045 || (e.getSQLState() != null && e.getSQLState().startsWith("28"))) {
                throw CliException.unreachable("Source " + target.address() + " refused user '" + target.user() + "' (" + Text.oneLine(e.getMessage()) + ")",
                        "check --source-user and the source password (CDC_SOURCE_PASSWORD or --source-password-file)", e);
            }
            throw CliException.unreachable("Source " + target.address() + " unreachable (" + Text.rootCause(e) + ")",
                    "check --source-url (CDC_SOURCE_URL, cdc.source.url) and that the server is running", e);
        }
    }

    Settings.SourceTarget target() {
        return target;
    }

    Status status() {
        try (Statement s = connection.createStatement()) {
            String version;
            long serverId;
            boolean logBin;
            String format;
            String rowImage;
            Instant now;
            try (ResultSet rs = s.executeQuery("SELECT VERSION(), @@server_id, @@log_bin, @@binlog_format, @@binlog_row_image, UNIX_TIMESTAMP(NOW(3))")) {
                rs.next();
                version = rs.getString(1);
                serverId = rs.getLong(2);
                logBin = rs.getInt(3) == 1;
                format = rs.getString(4);
                rowImage = rs.getString(5);
                now = Instant.ofEpochMilli(rs.getBigDecimal(6).movePointRight(3).longValue());
            }
            boolean mariadb = version != null && version.toLowerCase(Locale.ROOT).contains("mariadb");
            Map<String, Long> logs = new LinkedHashMap<>();
            String headFile = null;
            Long headPos = null;
            if (logBin) {
                try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                    while (rs.next()) {
                        logs.put(rs.getString(1), rs.getLong(2));
                    }
                } catch (SQLException e) {
                    if (e.getErrorCode() != ER_NO_BINARY_LOGGING) {
                        throw e;
                    }
                }
                String[] head = head(s);
                if (head != null) {
                    headFile = head[0];
                    headPos = Long.parseLong(head[1]);
                }
            }
            String gtidHead = null;
            String gtidPurged = null;
            if (mariadb) {
                try (ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos, @@gtid_binlog_state")) {
                    rs.next();
                    gtidHead = rs.getString(1);
                    gtidPurged = null; // MariaDB keeps no purged set: a purged position shows as a missing binlog file
                }
            } else {
                try (ResultSet rs = s.executeQuery("SELECT @@gtid_mode, @@gtid_executed, @@gtid_purged")) {
                    rs.next();
                    if ("ON".equalsIgnoreCase(rs.getString(1))) {
                        gtidHead = compact(rs.getString(2));
                        gtidPurged = compact(rs.getString(3));
                    }
                } catch (SQLException e) {
                    // A server without GTID variables: positions only.
                }
            }
            return new Status(version, mariadb, serverId, logBin, format, rowImage, logs, headFile, headPos, emptyToNull(gtidHead),
                    emptyToNull(gtidPurged), now);
        } catch (SQLException e) {
            throw failure("read the binlog status", e);
        }
    }

    /** SHOW BINARY LOG STATUS (MySQL 8.4), else SHOW MASTER STATUS (MariaDB, older MySQL): {file, position}. */
    private static String[] head(Statement s) throws SQLException {
        for (String sql : new String[] {"SHOW BINARY LOG STATUS", "SHOW MASTER STATUS"}) {
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            } catch (SQLException e) {
                if (sql.startsWith("SHOW MASTER")) {
                    throw e;
                }
            }
        }
        return null;
    }

    /** The source's @@gtid_binlog_state (MariaDB): the last GTID of every domain and server in its binlog. */
    String mariaDbGtidState() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_state")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw failure("read @@gtid_binlog_state", e);
        }
    }

    /**
     * MariaDB: the GTID position at a binlog file and position ({@code BINLOG_GTID_POS}), i.e. the last GTID of each
     * domain before it; null when the server cannot map the position.
     */
    String mariaDbGtidAt(String file, long pos) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, pos);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw failure("map " + file + ":" + pos + " to a GTID position", e);
        }
    }

    /** MySQL: whether every purged GTID is in {@code gtids} (so nothing the connector still needs was purged). */
    boolean purgedSubsetOf(String gtids) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT GTID_SUBSET(@@gtid_purged, ?)")) {
            ps.setString(1, gtids);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw failure("compare the stored GTID set with @@gtid_purged", e);
        }
    }

    /** Whether an event starts at {@code pos} in {@code file} (SHOW BINLOG EVENTS IN file FROM pos LIMIT 1). */
    EventAt eventAt(String file, long pos) {
        if (!Binlog.isFileName(file)) {
            throw new IllegalArgumentException("not a binlog file name: " + file);
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + file + "' FROM " + pos + " LIMIT 1")) {
            return rs.next() ? EventAt.EVENT : EventAt.END_OF_FILE;
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_ERROR_WHEN_EXECUTING_COMMAND) {
                return EventAt.NOT_AN_EVENT;
            }
            throw failure("read binlog events of " + file, e);
        }
    }

    private CliException failure(String what, SQLException e) {
        if (e.getErrorCode() == 1227 || e.getErrorCode() == 1142 || e.getErrorCode() == 1044) {
            return CliException.unreachable("Source " + target.address() + " denies user '" + target.user() + "' to " + what + " ("
                    + Text.oneLine(e.getMessage()) + ")", "GRANT REPLICATION CLIENT ON *.* TO '" + target.user()
                    + "' (BINLOG MONITOR on MariaDB; see sql/source/cdc-user.sql)", e);
        }
        return CliException.unreachable("Could not " + what + " on source " + target.address() + " (" + Text.rootCause(e) + ")",
                "check that the source is reachable and running", e);
    }

    private static String compact(String gtids) {
        return gtids == null ? null : gtids.replaceAll("\\s+", "");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The identity of the server's binlog history, as the connector records it with the lineage. */
    String identity(boolean mariadb) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(ServerIdentity.query(mariadb))) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw CliException.unreachable("Could not read the identity of source " + target.address() + " (" + Text.rootCause(e) + ")",
                    "check that the source is reachable", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Read-only session: nothing to lose.
        }
    }
}
