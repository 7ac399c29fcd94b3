package dev.cdc.connector.source;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import dev.cdc.contract.ServerIdentity;
import dev.cdc.offsets.DatabaseTls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Checks, before an engine starts, that the source can be captured: reachable with the configured
 * credentials, binary log on in ROW format with FULL row images, replication grants present. Each failure
 * is an {@link OperatorFailure}: one line naming the fix.
 */
public final class SourceInspector {

    /** What the checks learned about the source. */
    public record SourceInfo(String version, SourceFlavor flavor) {
    }

    private final SourceAddress address;
    private final String user;
    private final String password;
    private final DatabaseTls tls;

    public SourceInspector(String url, String user, String password, DatabaseTls tls) {
        this.address = SourceAddress.parse(url);
        this.user = user;
        this.password = password == null ? "" : password;
        this.tls = tls;
    }

    public SourceAddress address() {
        return address;
    }

    public Connection connect() {
        try {
            Properties props = new Properties();
            props.setProperty("user", user);
            props.setProperty("password", password);
            props.setProperty("sslMode", "PREFERRED");
            props.putAll(tls.driverProperties());
            return DriverManager.getConnection(address.checkUrl(), props);
        } catch (SQLException e) {
            throw describeConnectFailure(e);
        }
    }

    private OperatorFailure describeConnectFailure(SQLException e) {
        String where = "source " + address.host() + ":" + address.port();
        if (e.getErrorCode() == 1045 || "28000".equals(e.getSQLState())) {
            String tlsHint = "DISABLED".equals(tls.mode()) || tls.mode() == null
                    ? ", and cdc.source.tls.mode if the user must connect with TLS (REQUIRE SSL)" : "";
            return new OperatorFailure(ExitStatus.UNREACHABLE, "The " + where + " rejected user '" + user
                    + "' (wrong password or no such user)", "check cdc.source.user and cdc.source.password (CDC_SOURCE_PASSWORD)" + tlsHint, e);
        }
        if (isTlsFailure(e)) {
            return new OperatorFailure(ExitStatus.UNREACHABLE, "TLS to the " + where + " failed (" + rootMessage(e) + ")", "check cdc.source.tls.mode ("
                    + (tls.mode() == null ? "unset" : tls.mode()) + ") and cdc.source.tls.trust-store (it must hold the CA of the server's certificate)", e);
        }
        return new OperatorFailure(ExitStatus.UNREACHABLE, "The " + where + " is unreachable (" + firstLine(e.getMessage()) + ")",
                "check cdc.source.url and that the database server is running", e);
    }

    private static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof java.security.GeneralSecurityException
                    || (t.getMessage() != null && t.getMessage().contains("SSL connection required"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    public SourceInfo inspect() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            String version;
            try (ResultSet rs = s.executeQuery("SELECT VERSION(), @@log_bin, @@binlog_format, @@binlog_row_image")) {
                rs.next();
                version = rs.getString(1);
                String where = "source " + address.host() + ":" + address.port();
                if (rs.getInt(2) != 1) {
                    throw OperatorFailure.configuration("Binary logging is off on the " + where,
                            "start the server with log_bin enabled (e.g. log-bin=binlog in its config, see sql/conf/binlog.cnf)");
                }
                if (!"ROW".equalsIgnoreCase(rs.getString(3))) {
                    throw OperatorFailure.configuration("binlog_format is " + rs.getString(3) + " on the " + where,
                            "set binlog_format=ROW in the server config (and SET GLOBAL binlog_format='ROW')");
                }
                if (!"FULL".equalsIgnoreCase(rs.getString(4))) {
                    throw OperatorFailure.configuration("binlog_row_image is " + rs.getString(4) + " on the " + where,
                            "set binlog_row_image=FULL in the server config (and SET GLOBAL binlog_row_image='FULL')");
                }
            }
            SourceFlavor flavor = SourceFlavor.fromVersion(version);
            checkGrants(s, flavor);
            return new SourceInfo(version, flavor);
        } catch (SQLException e) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "Could not inspect the source " + address.host() + ":" + address.port() + " ("
                    + firstLine(e.getMessage()) + ")", "check that user '" + user + "' may run SHOW GRANTS and SHOW BINARY LOGS", e);
        }
    }

    private void checkGrants(Statement s, SourceFlavor flavor) throws SQLException {
        Set<String> granted = new LinkedHashSet<>();
        try (ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                String grant = rs.getString(1).toUpperCase(Locale.ROOT);
                int on = grant.indexOf(" ON ");
                if (!grant.startsWith("GRANT ") || on < 0) {
                    continue;
                }
                String target = grant.substring(on + 4).trim();
                if (!target.startsWith("*.*")) {
                    continue;
                }
                for (String p : grant.substring(6, on).split(",")) {
                    granted.add(p.trim());
                }
            }
        }
        if (granted.contains("ALL PRIVILEGES")) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String needed : List.of("SELECT", "RELOAD", "REPLICATION SLAVE", "REPLICATION CLIENT")) {
            boolean ok = granted.contains(needed)
                    || (needed.equals("REPLICATION SLAVE") && granted.contains("REPLICATION REPLICA"))
                    || (needed.equals("REPLICATION CLIENT") && (granted.contains("BINLOG MONITOR") || granted.contains("SUPER")));
            if (!ok) {
                missing.add(needed);
            }
        }
        if (!missing.isEmpty()) {
            throw OperatorFailure.configuration("User '" + user + "' lacks " + String.join(", ", missing) + " on the source "
                    + address.host() + ":" + address.port(), "GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, "
                    + "REPLICATION CLIENT ON *.* TO '" + user + "' (see sql/source/cdc-user.sql)");
        }
    }

    /** The source's binlog files and their sizes now (SHOW BINARY LOGS), oldest first. */
    public Map<String, Long> binlogSizes() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return binlogSizes(s);
        } catch (SQLException e) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "Could not list the binary logs of the source " + address.host() + ":" + address.port() + " ("
                    + firstLine(e.getMessage()) + ")", "check that user '" + user + "' may run SHOW BINARY LOGS", e);
        }
    }

    private static Map<String, Long> binlogSizes(Statement s) throws SQLException {
        Map<String, Long> files = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.put(rs.getString(1), rs.getLong(2));
            }
        }
        return files;
    }

    /** The identity of the source's binlog history ({@link ServerIdentity}). */
    public String serverIdentity(SourceFlavor flavor) {
        String sql = ServerIdentity.query(flavor == SourceFlavor.MARIADB);
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the identity of the source " + address.host() + ":" + address.port() + " ("
                    + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** The source's row estimate of a table (information_schema.TABLES.TABLE_ROWS), or -1 when it cannot be read. */
    public long estimatedRows(String db, String table) {
        try (Connection c = connect();
             java.sql.PreparedStatement s = c.prepareStatement(
                     "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            s.setString(1, db);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            // Only the estimate (percent, ETA) is missing; the rows done are still counted.
            return -1;
        }
    }

    /** {@code db.table} of the source's base tables without a primary key (system schemas excluded). */
    public List<String> keylessTables() {
        String system = " NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')";
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            Set<String> keyed = new java.util.HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME FROM information_schema.STATISTICS"
                    + " WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA" + system)) {
                while (rs.next()) {
                    keyed.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA" + system + " ORDER BY 1, 2")) {
                while (rs.next()) {
                    String table = rs.getString(1) + "." + rs.getString(2);
                    if (!keyed.contains(table)) {
                        out.add(table);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list the tables without a primary key on the source " + address.host() + ":"
                    + address.port() + " (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Inserts one Debezium signal row into {@code signalTable} (db.table) on the source. */
    public void insertSignal(String signalTable, String id, String type, String data) throws SQLException {
        try (Connection c = connect();
             java.sql.PreparedStatement s = c.prepareStatement("INSERT INTO " + quoted(signalTable) + " (id, type, data) VALUES (?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, type);
            s.setString(3, data);
            s.executeUpdate();
        }
    }

    private static String quoted(String table) {
        int dot = table.indexOf('.');
        return "`" + table.substring(0, dot).replace("`", "``") + "`.`" + table.substring(dot + 1).replace("`", "``") + "`";
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
