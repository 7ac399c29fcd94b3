package dev.cdc.processor.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.List;

/**
 * The processor's settings, {@code cdc.processor.*}. Every key has a default here and in application.yml; all of
 * them can be overridden by environment variables ({@code CDC_PROCESSOR_MAX_ATTEMPTS}) or system properties
 * ({@code -Dcdc.processor.max-attempts=3}). The startup checks reject invalid values with a one-line error.
 */
@ConfigurationProperties(ProcessorConfig.PREFIX)
public class ProcessorConfig {

    public static final String PREFIX = "cdc.processor";

    /** Kafka consumer group of the processor. */
    public static final String DEFAULT_GROUP_ID = "cdc-processor";
    /** Apply attempts of one poison record (the first included) before it is dead-lettered. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** First retry delay; it doubles on every further retry, up to {@link #DEFAULT_RETRY_BACKOFF_MAX}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(5);
    /** Target table name; {@code {db}} and {@code {table}} are replaced by the source database and table. */
    public static final String DEFAULT_TABLE_NAME_FORMAT = "{table}";
    /** How long the startup checks wait for Kafka and for a target database that refuses connections. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long one dead-letter publish may take before it is treated as a transient failure and retried. */
    public static final Duration DEFAULT_DLQ_SEND_TIMEOUT = Duration.ofSeconds(30);
    /** What a record the target refuses on its data does to its partition: {@code stop} or {@code dead-letter}. */
    public static final String DEFAULT_ERROR_POLICY = "stop";
    /** How often the processor looks for operator requests (dead-letter replay, purge) in the target database. */
    public static final Duration DEFAULT_REQUEST_POLL_INTERVAL = Duration.ofSeconds(1);

    /** How much of the source's schema changes the target follows: mirror, additive or none (docs/design.md "Schema changes"). */
    public static final String DEFAULT_SCHEMA_CHANGES = "mirror";

    private String groupId = DEFAULT_GROUP_ID;
    private String schemaChanges = DEFAULT_SCHEMA_CHANGES;
    @Nullable
    private String dlqTopic;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration retryBackoffMax = DEFAULT_RETRY_BACKOFF_MAX;
    private String tableNameFormat = DEFAULT_TABLE_NAME_FORMAT;
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
    private Duration dlqSendTimeout = DEFAULT_DLQ_SEND_TIMEOUT;
    private String errorPolicy = DEFAULT_ERROR_POLICY;
    private List<String> errorPolicyTables = List.of();
    private Duration requestPollInterval = DEFAULT_REQUEST_POLL_INTERVAL;

    public String getSchemaChanges() {
        return schemaChanges;
    }

    public void setSchemaChanges(String schemaChanges) {
        this.schemaChanges = schemaChanges;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    /** The configured dead-letter topic, or null for the default {@code <cdc.topic-prefix>.dlq}. */
    @Nullable
    public String getDlqTopic() {
        return dlqTopic;
    }

    public void setDlqTopic(@Nullable String dlqTopic) {
        this.dlqTopic = dlqTopic;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getRetryBackoffMax() {
        return retryBackoffMax;
    }

    public void setRetryBackoffMax(Duration retryBackoffMax) {
        this.retryBackoffMax = retryBackoffMax;
    }

    public String getTableNameFormat() {
        return tableNameFormat;
    }

    public void setTableNameFormat(String tableNameFormat) {
        this.tableNameFormat = tableNameFormat;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public Duration getPollTimeout() {
        return pollTimeout;
    }

    public void setPollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
    }

    public Duration getDlqSendTimeout() {
        return dlqSendTimeout;
    }

    public void setDlqSendTimeout(Duration dlqSendTimeout) {
        this.dlqSendTimeout = dlqSendTimeout;
    }

    public String getErrorPolicy() {
        return errorPolicy;
    }

    public void setErrorPolicy(String errorPolicy) {
        this.errorPolicy = errorPolicy;
    }

    /** Per-table overrides of {@link #getErrorPolicy()}: {@code <db>.<table>=<policy>} entries. */
    public List<String> getErrorPolicyTables() {
        return errorPolicyTables;
    }

    public void setErrorPolicyTables(List<String> errorPolicyTables) {
        this.errorPolicyTables = errorPolicyTables == null ? List.of() : List.copyOf(errorPolicyTables);
    }

    public Duration getRequestPollInterval() {
        return requestPollInterval;
    }

    public void setRequestPollInterval(Duration requestPollInterval) {
        this.requestPollInterval = requestPollInterval;
    }

    /** The delay before retry number {@code retry} (1-based): exponential from retry-backoff, capped at retry-backoff-max. */
    public Duration backoff(int retry) {
        long base = Math.max(1, retryBackoff.toMillis());
        long cap = Math.max(base, retryBackoffMax.toMillis());
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long delay = base << shift;
        return Duration.ofMillis(delay <= 0 || delay > cap ? cap : delay);
    }
}
