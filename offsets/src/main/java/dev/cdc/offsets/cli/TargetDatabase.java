package dev.cdc.offsets.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The processor's target database, where it keeps its watermarks, dead letters and repair requests. Each setting comes
 * from, highest first: the flag, the environment ({@code CDC_TARGET_*}, then the processor's own
 * {@code DATASOURCES_DEFAULT_*}), the processor's application.yml ({@code --config}, {@code datasources.default.*}).
 */
final class TargetDatabase {

    static final String ENV_URL = "CDC_TARGET_URL";
    static final String ENV_USER = "CDC_TARGET_USER";
    static final String ENV_PASSWORD = "CDC_TARGET_PASSWORD";
    static final String ENV_PROCESSOR_URL = "DATASOURCES_DEFAULT_URL";
    static final String ENV_PROCESSOR_USER = "DATASOURCES_DEFAULT_USERNAME";
    static final String ENV_PROCESSOR_PASSWORD = "DATASOURCES_DEFAULT_PASSWORD";
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int SOCKET_TIMEOUT_MS = 30_000;

    /** The options of every command that reads the target database (a picocli mixin). */
    static class Options {
        @Option(names = "--config", paramLabel = "FILE",
                description = "The processor's application.yml: datasources.default.url, .username, .password are read from it"
                        + " (flags and environment variables win; $${VAR} placeholders are resolved from the environment).")
        Path config;

        @Option(names = "--target-url", paramLabel = "JDBC_URL",
                description = "The processor's target database, e.g. jdbc:mysql://host:3306/cdc_target. Default: CDC_TARGET_URL, then"
                        + " DATASOURCES_DEFAULT_URL, then datasources.default.url.")
        String url;

        @Option(names = "--target-user", paramLabel = "USER",
                description = "Default: CDC_TARGET_USER, then DATASOURCES_DEFAULT_USERNAME, then datasources.default.username.")
        String user;

        @Option(names = "--target-password-file", paramLabel = "FILE", description = "File holding the target password (one line).")
        Path passwordFile;

        @Option(names = "--target-password", paramLabel = "PASSWORD",
                description = "Target password. Prefer CDC_TARGET_PASSWORD or --target-password-file: a flag shows in the process list.")
        String password;

        @Option(names = "--json", description = "Print stable JSON instead of tables.")
        boolean json;

        @Option(names = "--verbose", description = "Print the stack trace of a failure to stderr (for troubleshooting).")
        boolean verbose;
    }

    private final String url;
    private final String user;
    private final String password;

    private TargetDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static TargetDatabase of(Options o, Map<String, String> env) {
        ConfigFile file = o.config == null ? ConfigFile.none(env) : ConfigFile.load(o.config, env);
        String url = first(o.url, env.get(ENV_URL), env.get(ENV_PROCESSOR_URL), file.get("datasources.default.url"));
        if (url == null) {
            throw CliException.usage("No target database given", "pass --target-url jdbc:mysql://host:3306/cdc_target, set " + ENV_URL
                    + ", or pass the processor's application.yml with --config");
        }
        if (!url.startsWith("jdbc:mysql://") && !url.startsWith("jdbc:mariadb://")) {
            throw CliException.usage("Target URL " + Settings.redact(url) + " is not a MySQL/MariaDB JDBC URL",
                    "use --target-url jdbc:mysql://host:3306/cdc_target");
        }
        String user = first(o.user, env.get(ENV_USER), env.get(ENV_PROCESSOR_USER), file.get("datasources.default.username"));
        String password = o.password;
        if (password == null && o.passwordFile != null) {
            try {
                password = Files.readString(o.passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw CliException.usage("--target-password-file " + o.passwordFile + " cannot be read (" + Text.rootCause(e) + ")",
                        "check the path and its permissions");
            }
        }
        if (password == null) {
            password = first(env.get(ENV_PASSWORD), env.get(ENV_PROCESSOR_PASSWORD), file.get("datasources.default.password"));
        }
        String jdbc = "jdbc:mysql://" + url.substring(url.indexOf("://") + 3);
        String sep = jdbc.contains("?") ? "&" : "?";
        if (!jdbc.contains("connectTimeout=")) {
            jdbc += sep + "connectTimeout=" + CONNECT_TIMEOUT_MS;
            sep = "&";
        }
        if (!jdbc.contains("socketTimeout=")) {
            jdbc += sep + "socketTimeout=" + SOCKET_TIMEOUT_MS;
        }
        return new TargetDatabase(jdbc, user, password);
    }

    /** A connection with auto-commit on; the processor's repair tables must exist. */
    Connection connect() {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("allowPublicKeyRetrieval", "true");
        Connection c;
        try {
            c = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw CliException.unreachable("Target database " + Settings.redact(url) + " cannot be reached or refused the login ("
                    + Text.rootCause(e) + ")", "check --target-url, the user and CDC_TARGET_PASSWORD, and that the server runs", e);
        }
        try {
            if (c.getCatalog() == null || c.getCatalog().isEmpty()) {
                throw CliException.usage("Target URL " + Settings.redact(url) + " names no database",
                        "add the processor's target database, e.g. jdbc:mysql://host:3306/cdc_target");
            }
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, "cdc_dead_letter", null)) {
                if (!rs.next()) {
                    throw CliException.usage("Target database " + c.getCatalog() + " has no table cdc_dead_letter",
                            "point --target-url at the processor's target database (the processor creates the table when it starts)");
                }
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw CliException.unreachable("Target database " + Settings.redact(url) + " failed (" + Text.rootCause(e) + ")",
                    "check the server and try again", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Nothing was written on it.
        }
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c.trim();
            }
        }
        return null;
    }
}
