package dev.cdc.connector.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.List;

/**
 * Typed configuration of one connector instance, bound from {@code cdc.*} (application.yml, environment
 * variables such as {@code CDC_SOURCE_PASSWORD}, or system properties). Defaults are the named constants.
 */
@ConfigurationProperties("cdc")
public class ConnectorSettings {

    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_KAFKA_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_SERVER_ID_BASE = 184_000;

    /** Connector name: the lease, the offsets and the Kafka transactional.id are keyed by it. */
    private String name;
    /** This instance's id in the lease and the offset log; default host-pid. */
    private String instanceId;
    /** Topics are {@code <topic-prefix>.<db>.<table>}; default: the connector name. */
    private String topicPrefix;
    private Duration kafkaStartupTimeout = DEFAULT_KAFKA_STARTUP_TIMEOUT;

    private Source source = new Source();
    private Store store = new Store();
    private Lease lease = new Lease();
    private Capture capture = new Capture();
    private Snapshot snapshot = new Snapshot();

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getInstanceId() { return instanceId; }
    public void setInstanceId(String instanceId) { this.instanceId = instanceId; }
    public String getTopicPrefix() { return topicPrefix == null || topicPrefix.isBlank() ? name : topicPrefix; }
    public void setTopicPrefix(String topicPrefix) { this.topicPrefix = topicPrefix; }
    public Duration getKafkaStartupTimeout() { return kafkaStartupTimeout; }
    public void setKafkaStartupTimeout(Duration kafkaStartupTimeout) { this.kafkaStartupTimeout = kafkaStartupTimeout; }
    public Source getSource() { return source; }
    public void setSource(Source source) { this.source = source; }
    public Store getStore() { return store; }
    public void setStore(Store store) { this.store = store; }
    public Lease getLease() { return lease; }
    public void setLease(Lease lease) { this.lease = lease; }
    public Capture getCapture() { return capture; }
    public void setCapture(Capture capture) { this.capture = capture; }
    public Snapshot getSnapshot() { return snapshot; }
    public void setSnapshot(Snapshot snapshot) { this.snapshot = snapshot; }

    /** The source MySQL/MariaDB server, read through its binlog. */
    @ConfigurationProperties("source")
    public static class Source {
        /** jdbc:mysql://host:port (a database path is ignored). */
        private String url;
        private String user = "cdc";
        private String password;
        /** The binlog client's server id; must differ from every other replica. Default: derived from the instance id. */
        private Integer serverId;
        private Tls tls = new Tls();

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Integer getServerId() { return serverId; }
        public void setServerId(Integer serverId) { this.serverId = serverId; }
        public Tls getTls() { return tls; }
        public void setTls(Tls tls) { this.tls = tls; }

        /** {@code cdc.source.tls.*}: used by the startup checks and passed on to Debezium's binlog and JDBC connections. */
        @ConfigurationProperties("tls")
        public static class Tls extends TlsSettings {
        }

        @Override
        public String toString() {
            return "Source[url=" + url + ", user=" + user + "]";
        }
    }

    /** The shared store (MySQL-compatible): lease, offsets, offset log, schema history. */
    @ConfigurationProperties("store")
    public static class Store {
        private String url;
        private String user = "cdc_store";
        private String password;
        private Tls tls = new Tls();

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }

        public Tls getTls() { return tls; }
        public void setTls(Tls tls) { this.tls = tls; }

        /** {@code cdc.store.tls.*}: every connection to the store (lease, offsets, schema history). */
        @ConfigurationProperties("tls")
        public static class Tls extends TlsSettings {
        }

        @Override
        public String toString() {
            return "Store[url=" + url + ", user=" + user + "]";
        }
    }

    /** Leadership timings. Failover ≈ ttl (expiry) + acquire interval + engine start. */
    @ConfigurationProperties("lease")
    public static class Lease {
        private Duration ttl = DEFAULT_LEASE_TTL;
        /** How often a standby tries to take an expired lease; default ttl/8. */
        private Duration acquireInterval;
        /** The holder stops its engine when no renew has succeeded for ttl minus this margin; default ttl/5. */
        private Duration safetyMargin;

        public Duration getTtl() { return ttl; }
        public void setTtl(Duration ttl) { this.ttl = ttl; }
        public Duration getAcquireInterval() { return acquireInterval == null ? ttl.dividedBy(8) : acquireInterval; }
        public void setAcquireInterval(Duration acquireInterval) { this.acquireInterval = acquireInterval; }
        public Duration getRenewInterval() { return ttl.dividedBy(3); }
        public Duration getSafetyMargin() { return safetyMargin == null ? ttl.dividedBy(5) : safetyMargin; }
        public void setSafetyMargin(Duration safetyMargin) { this.safetyMargin = safetyMargin; }
    }

    /** What is captured: Debezium's include/exclude lists and masking, named for our config. */
    @ConfigurationProperties("capture")
    public static class Capture {
        /** Databases to capture (Debezium database.include.list). The store's database is always excluded. */
        private List<String> databases = List.of();
        private List<String> tablesInclude = List.of();
        private List<String> tablesExclude = List.of();
        private List<String> columnsInclude = List.of();
        private List<String> columnsExclude = List.of();
        /** Columns whose values are replaced by '*' (fully qualified db.table.column, regexes allowed). */
        private List<String> columnsMask = List.of();
        /** Columns whose values are replaced by a salted SHA-256 hash. */
        private List<String> columnsHash = List.of();
        private String hashSalt = "cdc";

        public List<String> getDatabases() { return databases; }
        public void setDatabases(List<String> databases) { this.databases = databases; }
        public List<String> getTablesInclude() { return tablesInclude; }
        public void setTablesInclude(List<String> tablesInclude) { this.tablesInclude = tablesInclude; }
        public List<String> getTablesExclude() { return tablesExclude; }
        public void setTablesExclude(List<String> tablesExclude) { this.tablesExclude = tablesExclude; }
        public List<String> getColumnsInclude() { return columnsInclude; }
        public void setColumnsInclude(List<String> columnsInclude) { this.columnsInclude = columnsInclude; }
        public List<String> getColumnsExclude() { return columnsExclude; }
        public void setColumnsExclude(List<String> columnsExclude) { this.columnsExclude = columnsExclude; }
        public List<String> getColumnsMask() { return columnsMask; }
        public void setColumnsMask(List<String> columnsMask) { this.columnsMask = columnsMask; }
        public List<String> getColumnsHash() { return columnsHash; }
        public void setColumnsHash(List<String> columnsHash) { this.columnsHash = columnsHash; }
        public String getHashSalt() { return hashSalt; }
        public void setHashSalt(String hashSalt) { this.hashSalt = hashSalt; }
    }

    /** How the initial snapshot is taken and reported (docs/design.md, "Snapshots"). */
    @ConfigurationProperties("snapshot")
    public static class Snapshot {
        public static final Duration DEFAULT_PROGRESS_LOG_INTERVAL = Duration.ofSeconds(10);
        public static final int DEFAULT_CHUNK_SIZE = 4096;
        public static final String DEFAULT_SIGNAL_TABLE = "cdc_signal.debezium_signal";

        /** One progress line in the log this often while a snapshot runs. */
        private Duration progressLogInterval = DEFAULT_PROGRESS_LOG_INTERVAL;
        /**
         * {@code incremental}: the tables' structure first, then their rows in primary-key chunks interleaved with the
         * binlog, resumed by a new leader from the last committed chunk; {@code blocking}: Debezium's one-pass snapshot,
         * taken again from the first row after a failover.
         */
        private String mode = "blocking";
        /** Rows per chunk of an incremental snapshot (Debezium incremental.snapshot.chunk.size). */
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        /** The source table (db.table) through which the connector signals the incremental snapshot and marks its windows. */
        private String signalTable = DEFAULT_SIGNAL_TABLE;

        public Duration getProgressLogInterval() { return progressLogInterval; }
        public void setProgressLogInterval(Duration progressLogInterval) { this.progressLogInterval = progressLogInterval; }
        public String getMode() { return mode; }
        public void setMode(String mode) { this.mode = mode; }

        /** The parsed {@link #getMode()}; a value other than incremental or blocking is refused with the fix. */
        public SnapshotMode snapshotMode() {
            return SnapshotMode.parse(mode);
        }
        public int getChunkSize() { return chunkSize; }
        public void setChunkSize(int chunkSize) { this.chunkSize = chunkSize; }
        public String getSignalTable() { return signalTable; }
        public void setSignalTable(String signalTable) { this.signalTable = signalTable; }
    }

    /** See {@link Snapshot#getMode()}. */
    public enum SnapshotMode {
        INCREMENTAL, BLOCKING;

        static SnapshotMode parse(String value) {
            for (SnapshotMode m : values()) {
                if (m.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return m;
                }
            }
            throw dev.cdc.contract.OperatorFailure.configuration("cdc.snapshot.mode '" + value + "' is not known", "set it to incremental or blocking");
        }
    }
}
