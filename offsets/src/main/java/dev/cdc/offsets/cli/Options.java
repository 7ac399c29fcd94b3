package dev.cdc.offsets.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The option groups shared by the subcommands (picocli mixins). */
final class Options {

    private Options() {
    }

    /** Which connector, where its store is, and how to print. */
    static class Common {
        @Option(names = {"-c", "--connector"}, paramLabel = "NAME",
                description = "Connector name (its cdc.name). Default: CDC_NAME, then cdc.name in --config, then the only connector in the store.")
        String connector;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The connector's application.yml: cdc.name, cdc.store.*, cdc.source.*, kafka.bootstrap.servers are read from it"
                        + " (flags and environment variables win; $${VAR} placeholders are resolved from the environment).")
        Path config;

        @Option(names = "--store-url", paramLabel = "JDBC_URL",
                description = "Shared store, e.g. jdbc:mysql://host:3306/cdc_store. Default: CDC_STORE_URL, then cdc.store.url.")
        String storeUrl;

        @Option(names = "--store-user", paramLabel = "USER", description = "Default: CDC_STORE_USER, then cdc.store.user, then cdc_store.")
        String storeUser;

        @Option(names = "--store-password-file", paramLabel = "FILE", description = "File holding the store password (one line).")
        Path storePasswordFile;

        @Option(names = "--store-password", paramLabel = "PASSWORD",
                description = "Store password. Prefer CDC_STORE_PASSWORD or --store-password-file: a flag shows in the process list.")
        String storePassword;

        @Option(names = "--json", description = "Print stable JSON (field names in docs/offsets-cli.md) instead of tables.")
        boolean json;

        @Option(names = "--verbose", description = "Log what the clients do to stderr (for troubleshooting).")
        boolean verbose;
    }

    /** The source server, for lag, validate and set. */
    static class Source {
        @Option(names = "--source-url", paramLabel = "JDBC_URL",
                description = "Source MySQL/MariaDB, e.g. jdbc:mysql://host:3306. Default: CDC_SOURCE_URL, then cdc.source.url.")
        String sourceUrl;

        @Option(names = "--source-user", paramLabel = "USER",
                description = "A user with REPLICATION CLIENT (the connector's). Default: CDC_SOURCE_USER, then cdc.source.user, then cdc.")
        String sourceUser;

        @Option(names = "--source-password-file", paramLabel = "FILE", description = "File holding the source password (one line).")
        Path sourcePasswordFile;

        @Option(names = "--source-password", paramLabel = "PASSWORD",
                description = "Source password. Prefer CDC_SOURCE_PASSWORD or --source-password-file.")
        String sourcePassword;
    }

    /** Kafka and the processor's consumer group, for lag. */
    static class Kafka {
        @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,...]",
                description = "Kafka bootstrap servers. Default: KAFKA_BOOTSTRAP_SERVERS, then kafka.bootstrap.servers. Without them Kafka is not asked.")
        String bootstrap;

        @Option(names = "--group", paramLabel = "GROUP_ID",
                description = "The processor's consumer group. Default: CDC_PROCESSOR_GROUP_ID, then cdc.processor.group-id, then cdc-processor.")
        String group;

        @Option(names = "--topic-prefix", paramLabel = "PREFIX",
                description = "Topics are PREFIX.<db>.<table>. Default: CDC_TOPIC_PREFIX, then cdc.topic-prefix, then the connector name.")
        String topicPrefix;
    }
}
