package dev.cdc.offsets.cli;

import dev.cdc.offsets.DatabaseTls;
import dev.cdc.offsets.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves each setting from, highest first: the command-line flag, the environment variable, the connector's
 * configuration file ({@code --config}), a default. Secrets are never part of a message.
 */
final class Settings {

    static final String ENV_STORE_URL = "CDC_STORE_URL";
    static final String ENV_STORE_USER = "CDC_STORE_USER";
    static final String ENV_STORE_PASSWORD = "CDC_STORE_PASSWORD";
    static final String ENV_STORE_TLS_MODE = "CDC_STORE_TLS_MODE";
    static final String ENV_STORE_TLS_TRUST_STORE = "CDC_STORE_TLS_TRUST_STORE";
    static final String ENV_STORE_TLS_TRUST_STORE_PASSWORD = "CDC_STORE_TLS_TRUST_STORE_PASSWORD";
    static final String ENV_SOURCE_URL = "CDC_SOURCE_URL";
    static final String ENV_SOURCE_USER = "CDC_SOURCE_USER";
    static final String ENV_SOURCE_PASSWORD = "CDC_SOURCE_PASSWORD";
    static final String ENV_NAME = "CDC_NAME";
    static final String ENV_KAFKA = "KAFKA_BOOTSTRAP_SERVERS";
    static final String ENV_GROUP = "CDC_PROCESSOR_GROUP_ID";
    static final String ENV_TOPIC_PREFIX = "CDC_TOPIC_PREFIX";

    /** Defaults of the connector (cdc-connector application.yml) and the processor. */
    static final String DEFAULT_STORE_USER = "cdc_store";
    static final String DEFAULT_SOURCE_USER = "cdc";
    static final String DEFAULT_GROUP = "cdc-processor";

    /** How long a connection to the source may take, and a statement on it. */
    static final int SOURCE_CONNECT_TIMEOUT_MS = 5_000;
    static final int SOURCE_SOCKET_TIMEOUT_MS = 30_000;

    /** The source server: a JDBC URL for our own short-lived connection, and who logs in. */
    record SourceTarget(String host, int port, String url, String user, String password) {
        String address() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return "SourceTarget[" + address() + ", user=" + user + ", password=****]";
        }
    }

    /** Kafka: bootstrap servers (null when none was given), the processor's group and the topic prefix. */
    record KafkaTarget(String bootstrap, String group, String topicPrefix) {
    }

    private final Map<String, String> env;
    private final ConfigFile file;

    Settings(Map<String, String> env, Path configFile) {
        this.env = env;
        this.file = configFile == null ? ConfigFile.none(env) : ConfigFile.load(configFile, env);
    }

    /** The connector name from --connector, CDC_NAME or cdc.name; null when none of them is set. */
    String connector(Options.Common o) {
        String name = first(o.connector, env(ENV_NAME), file.get("cdc.name"));
        if (name != null && (name.length() > 190 || name.isBlank())) {
            throw CliException.usage("Connector name '" + name + "' is not valid", "use the connector's cdc.name (at most 190 characters)");
        }
        return name;
    }

    StoreConfig store(Options.Common o) {
        String url = first(o.storeUrl, env(ENV_STORE_URL), file.get("cdc.store.url"));
        if (url == null) {
            throw CliException.usage("No shared store given", "pass --store-url jdbc:mysql://host:3306/cdc_store, set " + ENV_STORE_URL
                    + ", or pass the connector's application.yml with --config");
        }
        String user = first(o.storeUser, env(ENV_STORE_USER), file.get("cdc.store.user"), DEFAULT_STORE_USER);
        String password = password(o.storePassword, o.storePasswordFile, "--store-password-file", ENV_STORE_PASSWORD, "cdc.store.password");
        DatabaseTls tls;
        try {
            tls = DatabaseTls.of(StoreConfig.PREFIX, first(env(ENV_STORE_TLS_MODE), file.get(StoreConfig.PREFIX + DatabaseTls.MODE)),
                    first(env(ENV_STORE_TLS_TRUST_STORE), file.get(StoreConfig.PREFIX + DatabaseTls.TRUST_STORE)),
                    first(env(ENV_STORE_TLS_TRUST_STORE_PASSWORD), file.get(StoreConfig.PREFIX + DatabaseTls.TRUST_STORE_PASSWORD)));
        } catch (dev.cdc.contract.OperatorFailure e) {
            throw CliException.usage(e.what(), e.fix());
        }
        try {
            return new StoreConfig(url, user, password, tls);
        } catch (IllegalArgumentException e) {
            String message = Text.oneLine(e.getMessage());
            int fix = message.indexOf(": set ");
            throw CliException.usage(fix < 0 ? message : message.substring(0, fix),
                    "pass --store-url jdbc:mysql://host:3306/cdc_store (or " + ENV_STORE_URL + ")");
        }
    }

    SourceTarget source(Options.Source o) {
        String url = first(o.sourceUrl, env(ENV_SOURCE_URL), file.get("cdc.source.url"));
        if (url == null) {
            throw CliException.usage("No source server given", "pass --source-url jdbc:mysql://host:3306, set " + ENV_SOURCE_URL
                    + ", or pass the connector's application.yml with --config");
        }
        String user = first(o.sourceUser, env(ENV_SOURCE_USER), file.get("cdc.source.user"), DEFAULT_SOURCE_USER);
        String password = password(o.sourcePassword, o.sourcePasswordFile, "--source-password-file", ENV_SOURCE_PASSWORD, "cdc.source.password");
        return parseSource(url, user, password);
    }

    KafkaTarget kafka(Options.Kafka o, String connector) {
        String bootstrap = first(o.bootstrap, env(ENV_KAFKA), file.get("kafka.bootstrap.servers"));
        String group = first(o.group, env(ENV_GROUP), file.get("cdc.processor.group-id"), DEFAULT_GROUP);
        String prefix = first(o.topicPrefix, env(ENV_TOPIC_PREFIX), file.get("cdc.topic-prefix"), connector);
        return new KafkaTarget(bootstrap, group, prefix);
    }

    /** jdbc:mysql://host[:port][/db][?params] (or jdbc:mariadb://): our connection keeps host, port and parameters. */
    static SourceTarget parseSource(String url, String user, String password) {
        String rest;
        if (url.startsWith("jdbc:mysql://")) {
            rest = url.substring("jdbc:mysql://".length());
        } else if (url.startsWith("jdbc:mariadb://")) {
            rest = url.substring("jdbc:mariadb://".length());
        } else {
            throw CliException.usage("Source URL " + redact(url) + " is not a MySQL/MariaDB JDBC URL", "use --source-url jdbc:mysql://host:3306");
        }
        URI uri;
        try {
            uri = new URI("mysql://" + rest);
        } catch (URISyntaxException e) {
            throw CliException.usage("Source URL " + redact(url) + " is malformed (" + e.getReason() + ")", "use --source-url jdbc:mysql://host:3306");
        }
        if (uri.getHost() == null) {
            throw CliException.usage("Source URL " + redact(url) + " has no host", "use --source-url jdbc:mysql://host:3306");
        }
        int port = uri.getPort() < 0 ? 3306 : uri.getPort();
        StringBuilder params = new StringBuilder();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isBlank()) {
            params.append(uri.getRawQuery()).append('&');
        }
        String query = params.toString();
        if (!query.contains("connectTimeout=")) {
            params.append("connectTimeout=").append(SOURCE_CONNECT_TIMEOUT_MS).append('&');
        }
        if (!query.contains("socketTimeout=")) {
            params.append("socketTimeout=").append(SOURCE_SOCKET_TIMEOUT_MS).append('&');
        }
        if (!query.contains("allowPublicKeyRetrieval=")) {
            params.append("allowPublicKeyRetrieval=true&");
        }
        params.setLength(params.length() - 1);
        String jdbc = "jdbc:mysql://" + uri.getHost() + ":" + port + "/?" + params;
        return new SourceTarget(uri.getHost(), port, jdbc, user, password == null ? "" : password);
    }

    private String password(String flag, Path passwordFile, String fileFlag, String envName, String key) {
        if (flag != null) {
            return flag;
        }
        if (passwordFile != null) {
            try {
                String content = Files.readString(passwordFile, StandardCharsets.UTF_8);
                return content.strip();
            } catch (IOException e) {
                throw CliException.usage(fileFlag + " " + passwordFile + " cannot be read (" + Text.rootCause(e) + ")",
                        "check the path and its permissions");
            }
        }
        String fromEnv = env.get(envName);
        if (fromEnv != null) {
            return fromEnv;
        }
        return file.get(key);
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

    /** A URL with any embedded password hidden. */
    static String redact(String url) {
        return url.replaceAll("(//[^/@?]*?):[^/@?]*@", "$1:****@").replaceAll("(?i)([?&;]password[0-9]*=)[^&;]*", "$1****");
    }
}
