package dev.cdc.processor.startup;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import dev.cdc.processor.apply.WatermarkStore;
import dev.cdc.processor.config.KafkaClientSettings;
import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.deadletter.RepairTables;
import dev.cdc.processor.policy.ErrorPolicies;
import dev.cdc.processor.config.Topics;
import dev.cdc.processor.schema.SchemaChangeMode;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.order.Ordered;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before the consumer starts and refuses to start (one-line error naming the fix, non-zero exit; see
 * {@code Application}) when: {@code cdc.topic-prefix} is missing or the settings contradict each other; the
 * target database refuses our login, is not reachable within {@code startup-timeout}, or names no database;
 * the watermark table cannot be created; Kafka does not answer within {@code startup-timeout}.
 * Passwords are never part of a message.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE) // before the DataSource, which is a @Context bean too
public class StartupChecks {

    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);
    static final String URL_KEY = "datasources.default.url";
    static final String USER_KEY = "datasources.default.username";
    static final String PASSWORD_KEY = "datasources.default.password";
    static final String DATA_SOURCE_PROPERTIES_KEY = "datasources.default.data-source-properties";

    public StartupChecks(Topics topics, ProcessorConfig config, KafkaClientSettings kafka, Environment environment) {
        long started = System.nanoTime();
        checkSettings(topics, config);
        checkTargetDatabase(environment, config.getStartupTimeout());
        checkKafka(kafka, config.getStartupTimeout());
        log.info("Startup checks passed in {} ms (target database, watermark table, Kafka)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    static void checkSettings(Topics topics, ProcessorConfig config) {
        String prefix = topics.prefix();
        if (prefix == null) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "cdc.topic-prefix is not set", "set it to the connector's topic prefix "
                    + "(the first part of <prefix>.<db>.<table>), e.g. -Dcdc.topic-prefix=demo or CDC_TOPIC_PREFIX=demo.");
        }
        if (topics.prefixHasSurroundingBlanks()) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "cdc.topic-prefix '" + topics.configuredPrefix() + "' has blanks around it", "remove them (CDC_TOPIC_PREFIX=" + prefix + ").");
        }
        if (!prefix.matches("[A-Za-z0-9._-]+")) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "cdc.topic-prefix '" + prefix + "' is not a valid Kafka topic name part", "use only letters, digits, '.', '_' and '-'.");
        }
        if (Topics.changeTopicPattern(prefix).matcher(topics.dlqTopic()).matches()) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "cdc.processor.dlq-topic '" + topics.dlqTopic() + "' looks like a change topic "
                    + "(<prefix>.<db>.<table>) and would be consumed", "choose a name such as '" + prefix + ".dlq'.");
        }
        if (config.getGroupId() == null || config.getGroupId().isBlank()) {
            throw invalid("cdc.processor.group-id", "is empty", "set the Kafka consumer group, e.g. " + ProcessorConfig.DEFAULT_GROUP_ID);
        }
        if (config.getMaxAttempts() < 1) {
            throw invalid("cdc.processor.max-attempts", "is " + config.getMaxAttempts(), "use 1 or more (default "
                    + ProcessorConfig.DEFAULT_MAX_ATTEMPTS + ")");
        }
        positive("cdc.processor.retry-backoff", config.getRetryBackoff());
        positive("cdc.processor.retry-backoff-max", config.getRetryBackoffMax());
        positive("cdc.processor.startup-timeout", config.getStartupTimeout());
        positive("cdc.processor.poll-timeout", config.getPollTimeout());
        positive("cdc.processor.dlq-send-timeout", config.getDlqSendTimeout());
        positive("cdc.processor.request-poll-interval", config.getRequestPollInterval());
        new ErrorPolicies(config);
        if (config.getTableNameFormat() == null || !config.getTableNameFormat().contains("{table}")) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, "cdc.processor.table-name-format '" + config.getTableNameFormat()
                    + "' does not contain {table}, so every table would map to one target table", "e.g. {table} or {db}_{table}.");
        }
        SchemaChangeMode.parse(config.getSchemaChanges());
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(key, "is " + value, "use a positive duration such as 200ms, 5s or 1m");
        }
    }

    private static OperatorFailure invalid(String key, String problem, String fix) {
        return OperatorFailure.configuration(key + " " + problem, fix);
    }

    static void checkTargetDatabase(Environment env, Duration timeout) {
        String url = env.getProperty(URL_KEY, String.class).orElse(null);
        String user = env.getProperty(USER_KEY, String.class).orElse(null);
        String password = env.getProperty(PASSWORD_KEY, String.class).orElse("");
        if (url == null || url.isBlank()) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, URL_KEY + " is not set", "set it to the target database, "
                    + "e.g. jdbc:mysql://host:3306/cdc_target (env DATASOURCES_DEFAULT_URL).");
        }
        String shownUrl = redact(url);
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        props.setProperty("password", password);
        // The pool's driver settings (TLS among them: sslMode, trustCertificateKeyStoreUrl, ...) apply to this check too.
        env.getProperties(DATA_SOURCE_PROPERTIES_KEY, StringConvention.RAW).forEach((key, value) -> {
            if (value != null && !(value instanceof java.util.Map)) {
                props.setProperty(key, value.toString());
            }
        });
        props.setProperty("connectTimeout", "5000");
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last;
        while (true) {
            try (Connection c = DriverManager.getConnection(url, props)) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
                    rs.next();
                    if (rs.getString(1) == null) {
                        throw new OperatorFailure(ExitStatus.CONFIGURATION, URL_KEY + " " + shownUrl + " names no database", "add the target "
                                + "database to the URL, e.g. jdbc:mysql://host:3306/cdc_target.");
                    }
                }
                try {
                    WatermarkStore.createTable(c);
                    WatermarkStore.createSnapshotTable(c);
                    RepairTables.create(c);
                } catch (SQLException e) {
                    throw new OperatorFailure(ExitStatus.CONFIGURATION, "cannot create the watermark table " + WatermarkStore.TABLE + " in " + shownUrl
                            + " (" + oneLine(e.getMessage()) + ")", "grant user '" + user + "' CREATE, ALTER, SELECT, INSERT, UPDATE, "
                            + "DELETE on the target database.", e);
                }
                return;
            } catch (SQLException e) {
                last = e;
                if (isLoginRefused(e)) {
                    throw new OperatorFailure(ExitStatus.UNREACHABLE, "cannot log in to the target database " + shownUrl + " as '" + user + "' ("
                            + oneLine(e.getMessage()) + ")", "set datasources.default.username and datasources.default.password "
                            + "(env DATASOURCES_DEFAULT_USERNAME / DATASOURCES_DEFAULT_PASSWORD) to the target user's credentials.", e);
                }
                if (isTlsFailure(e)) {
                    throw new OperatorFailure(ExitStatus.UNREACHABLE, "TLS to the target database " + shownUrl + " failed (" + oneLine(rootMessage(e))
                            + ")", "check " + DATA_SOURCE_PROPERTIES_KEY + ".sslMode and .trustCertificateKeyStoreUrl (a trust store "
                            + "holding the CA of the server's certificate), see the README.", e);
                }
                if (e.getErrorCode() == 1049) {
                    throw new OperatorFailure(ExitStatus.CONFIGURATION, "the target database in " + shownUrl + " does not exist (" + oneLine(e.getMessage())
                            + ")", "create it, or correct datasources.default.url.", e);
                }
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            sleep(500);
        }
        throw new OperatorFailure(ExitStatus.UNREACHABLE, "the target database " + shownUrl + " is unreachable after " + timeout.toSeconds() + " s ("
                + oneLine(last.getMessage()) + ")", "start it, or correct datasources.default.url (env DATASOURCES_DEFAULT_URL).", last);
    }

    static void checkKafka(KafkaClientSettings kafka, Duration timeout) {
        String servers = kafka.bootstrapServers();
        if (servers == null) {
            throw new OperatorFailure(ExitStatus.CONFIGURATION, KafkaClientSettings.BOOTSTRAP_SERVERS_KEY + " is not set", "set it to the broker list, "
                    + "e.g. -Dkafka.bootstrap.servers=localhost:9092 or KAFKA_BOOTSTRAP_SERVERS.");
        }
        var props = kafka.admin("cdc-processor-startup-check");
        int requestMs = (int) Math.max(1000, Math.min(timeout.toMillis(), 10_000));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(requestMs, timeout.toMillis())));
        Exception last = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    if (!admin.describeCluster().nodes().get(left, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e.getCause() instanceof Exception cause ? cause : e;
                    sleep(500);
                } catch (TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OperatorFailure(ExitStatus.UNREACHABLE, "interrupted while waiting for Kafka at " + servers, "start the processor again", e);
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof OperatorFailure s) {
                throw s;
            }
            throw new OperatorFailure(ExitStatus.UNREACHABLE, "cannot create a Kafka client for " + servers + " (" + oneLine(e.getMessage())
                    + ")", "correct kafka.bootstrap.servers and the kafka.* client settings.", e);
        }
        throw new OperatorFailure(ExitStatus.UNREACHABLE, "Kafka at " + servers + " did not answer within " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (" + oneLine(String.valueOf(last.getMessage())) + ")")
                + "", "start the broker, or correct kafka.bootstrap.servers (env KAFKA_BOOTSTRAP_SERVERS).", last);
    }

    private static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.GeneralSecurityException) {
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
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static boolean isLoginRefused(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 1045 || s.getErrorCode() == 1044 || "28000".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The URL without any password given in it. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperatorFailure(ExitStatus.UNREACHABLE, "interrupted during the startup checks", "start the processor again", e);
        }
    }
}
