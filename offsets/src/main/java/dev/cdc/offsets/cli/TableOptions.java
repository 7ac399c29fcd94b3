package dev.cdc.offsets.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that compare or copy tables: where the target is and how source tables map to it (a picocli mixin). */
final class TableOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "An app's application.yml (repeatable: the connector's for cdc.source.*, cdc.capture.databases, cdc.name; the"
                    + " processor's for datasources.default.*, cdc.topic-prefix, cdc.processor.table-name-format). Flags and environment"
                    + " variables win; $${VAR} placeholders are resolved from the environment.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--target-url", paramLabel = "JDBC_URL",
            description = "The target database, e.g. jdbc:mysql://host:3306/cdc_target. Default: CDC_TARGET_URL, then DATASOURCES_DEFAULT_URL,"
                    + " then datasources.default.url.")
    String targetUrl;

    @Option(names = "--target-user", paramLabel = "USER",
            description = "Default: CDC_TARGET_USER, then DATASOURCES_DEFAULT_USERNAME, then datasources.default.username.")
    String targetUser;

    @Option(names = "--target-password-file", paramLabel = "FILE", description = "File holding the target password (one line).")
    Path targetPasswordFile;

    @Option(names = "--target-password", paramLabel = "PASSWORD",
            description = "Target password. Prefer CDC_TARGET_PASSWORD (or DATASOURCES_DEFAULT_PASSWORD) or --target-password-file.")
    String targetPassword;

    @Option(names = "--source-db", paramLabel = "DB",
            description = "The source database of the tables. Default: CDC_SOURCE_DB, then cdc.capture.databases when it names one database.")
    String sourceDb;

    @Option(names = "--table-name-format", paramLabel = "FORMAT",
            description = "Target table name, as the processor's: {db} and {table} are replaced. Default: CDC_PROCESSOR_TABLE_NAME_FORMAT,"
                    + " then cdc.processor.table-name-format, then {table}.")
    String tableNameFormat;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "The processor's topic prefix (its watermarks are kept per topic PREFIX.<db>.<table>). Default: CDC_TOPIC_PREFIX,"
                    + " then cdc.topic-prefix, then CDC_NAME / cdc.name.")
    String topicPrefix;

    @Option(names = "--chunk-size", paramLabel = "ROWS", defaultValue = "" + TableSettings.DEFAULT_CHUNK_SIZE,
            description = "Primary-key values per chunk (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--json", description = "Print stable JSON (fields in the README) instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of failures to stderr (for troubleshooting).")
    boolean verbose;
}
