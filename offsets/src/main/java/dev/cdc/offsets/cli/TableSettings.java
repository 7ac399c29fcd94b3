package dev.cdc.offsets.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@code verify} and {@code resync}, each from, highest first: the flag, the environment variable, the
 * apps' configuration files (in the order given), a default. The source server is resolved as {@code offsets} does.
 */
final class TableSettings {

    static final int DEFAULT_CHUNK_SIZE = 1_000;
    static final String DEFAULT_TABLE_NAME_FORMAT = "{table}";

    /** The target database: a JDBC URL naming the database, and who logs in. */
    record TargetDb(String url, String user, String password) {
        @Override
        public String toString() {
            return "TargetDb[" + Settings.redact(url) + ", user=" + user + ", password=****]";
        }
    }

    private final Map<String, String> env;
    private final List<ConfigFile> files = new ArrayList<>();
    private final TableOptions options;

    TableSettings(Map<String, String> env, TableOptions options) {
        this.env = env;
        this.options = options;
        for (Path p : options.configs) {
            files.add(ConfigFile.load(p, env));
        }
    }

    Settings.SourceTarget source(Options.Source o) {
        String url = first(o.sourceUrl, env(Settings.ENV_SOURCE_URL), file("cdc.source.url"));
        if (url == null) {
            throw CliException.usage("No source server given", "pass --source-url jdbc:mysql://host:3306, set " + Settings.ENV_SOURCE_URL
                    + ", or pass the connector's application.yml with --config");
        }
        String user = first(o.sourceUser, env(Settings.ENV_SOURCE_USER), file("cdc.source.user"), Settings.DEFAULT_SOURCE_USER);
        String password = password(o.sourcePassword, o.sourcePasswordFile, "--source-password-file", "cdc.source.password",
                Settings.ENV_SOURCE_PASSWORD);
        return Settings.parseSource(url, user, password);
    }

    TargetDb target() {
        String url = first(options.targetUrl, env("CDC_TARGET_URL"), env("DATASOURCES_DEFAULT_URL"), file("datasources.default.url"));
        if (url == null) {
            throw CliException.usage("No target database given", "pass --target-url jdbc:mysql://host:3306/cdc_target, set CDC_TARGET_URL,"
                    + " or pass the processor's application.yml with --config");
        }
        if (!url.startsWith("jdbc:mysql://") && !url.startsWith("jdbc:mariadb://")) {
            throw CliException.usage("Target URL " + Settings.redact(url) + " is not a MySQL/MariaDB JDBC URL",
                    "use --target-url jdbc:mysql://host:3306/cdc_target");
        }
        if (url.startsWith("jdbc:mariadb://")) {
            url = "jdbc:mysql://" + url.substring("jdbc:mariadb://".length());
        }
        String user = first(options.targetUser, env("CDC_TARGET_USER"), env("DATASOURCES_DEFAULT_USERNAME"), file("datasources.default.username"));
        if (user == null) {
            throw CliException.usage("No target user given", "pass --target-user (or CDC_TARGET_USER, datasources.default.username)");
        }
        String password = password(options.targetPassword, options.targetPasswordFile, "--target-password-file", "datasources.default.password",
                "CDC_TARGET_PASSWORD", "DATASOURCES_DEFAULT_PASSWORD");
        return new TargetDb(url, user, password == null ? "" : password);
    }

    String sourceDb() {
        String db = first(options.sourceDb, env("CDC_SOURCE_DB"));
        if (db != null) {
            return db;
        }
        String captured = first(env("CDC_CAPTURE_DATABASES"), file("cdc.capture.databases"));
        if (captured != null && !captured.contains(",")) {
            return captured;
        }
        throw CliException.usage(captured == null ? "No source database given" : "The connector captures several databases (" + captured + ")",
                "pass --source-db DB (or CDC_SOURCE_DB)");
    }

    String tableNameFormat() {
        String format = first(options.tableNameFormat, env("CDC_PROCESSOR_TABLE_NAME_FORMAT"), file("cdc.processor.table-name-format"),
                DEFAULT_TABLE_NAME_FORMAT);
        if (!format.contains("{table}")) {
            throw CliException.usage("Table name format '" + format + "' has no {table}", "use the processor's cdc.processor.table-name-format");
        }
        return format;
    }

    /** The processor's topic prefix; null when nothing names it. */
    String topicPrefix() {
        return first(options.topicPrefix, env(Settings.ENV_TOPIC_PREFIX), file("cdc.topic-prefix"), env(Settings.ENV_NAME), file("cdc.name"));
    }

    int chunkSize() {
        if (options.chunkSize < 1 || options.chunkSize > 1_000_000) {
            throw CliException.usage("--chunk-size " + options.chunkSize + " is out of range", "use a value from 1 to 1000000");
        }
        return options.chunkSize;
    }

    /** The target table of a source table, as the processor's TableNames maps it. */
    static String targetTable(String format, String db, String table) {
        return format.replace("{db}", db).replace("{table}", table);
    }

    private String password(String flag, Path passwordFile, String fileFlag, String key, String... envNames) {
        if (flag != null) {
            return flag;
        }
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw CliException.usage(fileFlag + " " + passwordFile + " cannot be read (" + Text.rootCause(e) + ")",
                        "check the path and its permissions");
            }
        }
        for (String name : envNames) {
            String v = env.get(name);
            if (v != null) {
                return v;
            }
        }
        return file(key);
    }

    private String file(String key) {
        for (ConfigFile f : files) {
            String v = f.get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
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
