package dev.cdc.offsets.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the source and target connections of {@code verify} and {@code resync}, with one-line errors. Both sessions
 * read temporal values in UTC and text as utf8mb4, so the two sides render a row the same way.
 */
final class Databases {

    private Databases() {
    }

    static Connection source(Settings.SourceTarget source) {
        try {
            Connection c = DriverManager.getConnection(source.url(), source.user(), source.password());
            prepare(c);
            return c;
        } catch (SQLException e) {
            throw failure("Source " + source.address(), source.user(), "--source-user and the source password (CDC_SOURCE_PASSWORD)",
                    "--source-url (CDC_SOURCE_URL, cdc.source.url)", e);
        }
    }

    static Connection target(TableSettings.TargetDb target) {
        String url = target.url();
        String sep = url.contains("?") ? "&" : "?";
        if (!url.contains("connectTimeout=")) {
            url += sep + "connectTimeout=" + Settings.SOURCE_CONNECT_TIMEOUT_MS;
            sep = "&";
        }
        if (!url.contains("allowPublicKeyRetrieval=")) {
            url += sep + "allowPublicKeyRetrieval=true";
        }
        Connection c;
        try {
            c = DriverManager.getConnection(url, target.user(), target.password());
            prepare(c);
        } catch (SQLException e) {
            throw failure("Target " + Settings.redact(target.url()), target.user(),
                    "--target-user and the target password (CDC_TARGET_PASSWORD)", "--target-url (CDC_TARGET_URL, datasources.default.url)", e);
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            if (rs.getString(1) == null) {
                close(c);
                throw CliException.usage("Target URL " + Settings.redact(target.url()) + " names no database",
                        "use --target-url jdbc:mysql://host:3306/<target database>");
            }
        } catch (SQLException e) {
            close(c);
            throw CliException.unreachable("Target " + Settings.redact(target.url()) + " failed (" + Text.rootCause(e) + ")",
                    "check the target server", e);
        }
        return c;
    }

    static String database(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static boolean isMariaDb(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductVersion().toLowerCase(java.util.Locale.ROOT).contains("mariadb");
    }

    private static void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            s.execute("SET NAMES utf8mb4");
        }
    }

    private static CliException failure(String what, String user, String credentials, String where, SQLException e) {
        if (e.getErrorCode() == 1045 || (e.getSQLState() != null && e.getSQLState().startsWith("28"))) {
            return CliException.unreachable(what + " refused user '" + user + "' (" + Text.oneLine(e.getMessage()) + ")", "check " + credentials, e);
        }
        if (e.getErrorCode() == 1049) {
            return CliException.usage(what + ": " + Text.oneLine(e.getMessage()), "check the database named in " + where);
        }
        return CliException.unreachable(what + " unreachable (" + Text.rootCause(e) + ")", "check " + where + " and that the server is running", e);
    }

    static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: the failure is what gets reported
        }
    }
}
