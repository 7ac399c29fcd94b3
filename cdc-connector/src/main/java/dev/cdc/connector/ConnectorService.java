package dev.cdc.connector;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.engine.BatchHandler;
import dev.cdc.connector.engine.EngineProperties;
import dev.cdc.connector.engine.EngineSession;
import dev.cdc.connector.engine.EngineWarmup;
import dev.cdc.connector.health.ConnectorMetrics;
import dev.cdc.connector.health.SnapshotMonitor;
import dev.cdc.connector.leader.LeadershipLoop;
import dev.cdc.connector.leader.LeaseStore;
import dev.cdc.connector.leader.TermSession;
import dev.cdc.connector.publish.KafkaClientSettings;
import dev.cdc.connector.publish.KafkaReadiness;
import dev.cdc.connector.publish.TransactionalPublisher;
import dev.cdc.connector.source.SourceColumnCatalog;
import dev.cdc.connector.source.SourceInspector;
import dev.cdc.connector.snapshot.IncrementalSnapshotSettings;
import dev.cdc.connector.snapshot.IncrementalSnapshotStarter;
import dev.cdc.connector.transform.EventTransform;
import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import dev.cdc.offsets.Lease;
import dev.cdc.offsets.LeaseManager;
import dev.cdc.offsets.LineageStore;
import dev.cdc.offsets.OffsetStoreReader;
import dev.cdc.offsets.SharedStore;
import dev.cdc.offsets.StoreConfig;
import dev.cdc.offsets.StoreUnavailableException;
import dev.cdc.offsets.StoredOffset;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connector instance: the startup checks (each a one-line error naming the fix), then the
 * leadership loop, which builds a new engine session each time this instance wins the lease.
 */
@Singleton
public class ConnectorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectorService.class);
    /** Snapshot modes whose snapshot reads the tables' structure but not their rows. */
    private static final java.util.Set<String> SCHEMA_ONLY_SNAPSHOTS = java.util.Set.of("recovery", "no_data", "never");

    private final ConnectorSettings settings;
    private final Environment environment;
    private final ConnectorMetrics metrics;
    private final SnapshotMonitor snapshot;
    private SharedStore store;
    private LineageStore lineages;
    private LeadershipLoop loop;
    private SourceInspector inspector;
    private SourceInspector.SourceInfo source;

    public ConnectorService(ConnectorSettings settings, Environment environment, ConnectorMetrics metrics, SnapshotMonitor snapshot) {
        this.settings = settings;
        this.snapshot = snapshot;
        this.environment = environment;
        this.metrics = metrics;
    }

    public synchronized void start() {
        validate();
        inspector = new SourceInspector(settings.getSource().getUrl(), settings.getSource().getUser(), settings.getSource().getPassword(),
                settings.getSource().getTls().check("cdc.source."));
        source = inspector.inspect();
        log.info("Connector {} (instance {}): source is {} → {}", settings.getName(), settings.getInstanceId(), source.version(),
                source.flavor().connectorClass());
        StoreConfig storeConfig = new StoreConfig(settings.getStore().getUrl(), settings.getStore().getUser(), settings.getStore().getPassword(),
                settings.getStore().getTls().check(StoreConfig.PREFIX));
        try {
            store = SharedStore.open(storeConfig);
        } catch (StoreUnavailableException e) {
            throw new OperatorFailure(ExitStatus.UNREACHABLE, e.what(), e.fix(), e);
        }
        lineages = new LineageStore(store.dataSource());
        KafkaReadiness.await(bootstrapServers(), kafkaClients().admin(), settings.getKafkaStartupTimeout());
        checkStoredPositionExists();
        LeaseManager leases = new LeaseManager(store.dataSource(), settings.getName(), settings.getInstanceId(), settings.getLease().getTtl());
        loop = new LeadershipLoop(LeaseStore.of(leases), settings.getLease(), this::newSession, metrics);
        EngineWarmup.startInBackground(source.flavor());
        loop.start();
        log.info("Connector {} (instance {}) started as STANDBY; lease ttl {} ms", settings.getName(), settings.getInstanceId(),
                settings.getLease().getTtl().toMillis());
    }

    public LeadershipLoop.Role role() {
        return loop == null ? LeadershipLoop.Role.STANDBY : loop.role();
    }

    private EngineSession newSession(Lease lease, TermSession.Listener listener) {
        LineageStore.Lineage lineage = lineages.establish(lease, inspector.serverIdentity(source.flavor()));
        if (lineage.bumped()) {
            log.warn("Connector {} epoch {}: the source is {} but the stored offsets came from {}; lineage generation {} starts, "
                    + "so the processor applies what follows even where binlog coordinates repeat", settings.getName(), lease.epoch(),
                    lineage.server(), lineage.previousServer(), lineage.generation());
        }
        metrics.lineage(lineage);
        snapshot.progress().termStarted(inspector::estimatedRows);
        Map<String, String> overrides = engineOverrides(lease);
        boolean incremental = settings.getSnapshot().snapshotMode() == ConnectorSettings.SnapshotMode.INCREMENTAL
                && !overrides.containsKey("snapshot.mode");
        if (incremental) {
            List<String> keyless = inspector.keylessTables();
            Map<String, String> merged = new LinkedHashMap<>(IncrementalSnapshotSettings.engineProperties(settings, keyless));
            log.info("Connector {} epoch {}: an initial snapshot, if one is needed, is incremental (chunks of {} rows); tables without a "
                    + "primary key, snapshotted whole first: {}", settings.getName(), lease.epoch(), settings.getSnapshot().getChunkSize(), keyless);
            merged.putAll(overrides);
            overrides = merged;
        }
        Properties engineProperties = EngineProperties.build(settings, source.flavor(), lease, store.config(), overrides);
        SourceColumnCatalog catalog = new SourceColumnCatalog(inspector, source.flavor());
        EventTransform transform = new EventTransform(settings.getName(), settings.getName(), settings.getTopicPrefix(), settings.getInstanceId(),
                catalog, lineage.generation(), lineage.server());
        // The signal table holds the connector's own bookkeeping, in either mode: it is never published.
        transform.ignoreTable(settings.getSnapshot().getSignalTable());
        BatchHandler.BeforeCommit beforeCommit = BatchHandler.BeforeCommit.NONE;
        if (incremental) {
            // The structure snapshot announces the snapshot (markers); its rows follow incrementally (docs/design.md, "Snapshots").
            String signalTable = settings.getSnapshot().getSignalTable();
            beforeCommit = new IncrementalSnapshotStarter(settings.getName(), lease.epoch(), settings.getName(),
                    IncrementalSnapshotSettings.notificationTopic(settings.getName()), signalTable,
                    (id, type, data) -> inspector.insertSignal(signalTable, id, type, data));
        } else if (SCHEMA_ONLY_SNAPSHOTS.contains(engineProperties.getProperty("snapshot.mode"))) {
            // A snapshot without rows must not announce one: the processor would remove the tables' rows.
            transform.withoutSnapshotMarkers();
        }
        TransactionalPublisher publisher;
        try {
            publisher = new TransactionalPublisher(bootstrapServers(), settings.getName(), producerOverrides());
        } catch (RuntimeException e) {
            transform.close();
            throw e;
        }
        return new EngineSession(lease, engineProperties, publisher, transform, metrics, listener, beforeCommit);
    }

    private void validate() {
        if (blank(settings.getName())) {
            throw OperatorFailure.configuration("cdc.name is not set", "give the connector a name (CDC_NAME); its offsets and lease are keyed by it");
        }
        if (!settings.getName().matches("[A-Za-z0-9_.-]+")) {
            throw OperatorFailure.configuration("cdc.name '" + settings.getName() + "' has characters other than letters, digits, '.', '_' and '-'", "rename it");
        }
        if (blank(settings.getSource().getUrl())) {
            throw OperatorFailure.configuration("cdc.source.url is not set", "set it (CDC_SOURCE_URL) to jdbc:mysql://host:3306");
        }
        if (blank(settings.getStore().getUrl())) {
            throw OperatorFailure.configuration("cdc.store.url is not set", "set it (CDC_STORE_URL) to jdbc:mysql://host:3306/cdc_store");
        }
        if (settings.getLease().getTtl().toMillis() < 300) {
            throw OperatorFailure.configuration("cdc.lease.ttl " + settings.getLease().getTtl().toMillis() + " ms is too short", "use at least 300ms (default 2s)");
        }
        settings.getSnapshot().snapshotMode();
        if (settings.getSnapshot().getChunkSize() < 1) {
            throw OperatorFailure.configuration("cdc.snapshot.chunk-size " + settings.getSnapshot().getChunkSize() + " is not positive", "use e.g. 4096 (the default)");
        }
        if (!settings.getSnapshot().getSignalTable().matches("[^.\\s]+\\.[^.\\s]+")) {
            throw OperatorFailure.configuration("cdc.snapshot.signal-table '" + settings.getSnapshot().getSignalTable() + "' is not db.table",
                    "use e.g. cdc_signal.debezium_signal (created by sql/source/cdc-user.sql)");
        }
        if (blank(settings.getInstanceId())) {
            settings.setInstanceId(defaultInstanceId());
        }
    }

    /**
     * Refuses to start when the stored binlog position is not in the source's binlog: purged (resuming would silently
     * skip changes), or beyond its end (the binlog was reset, so the coordinates belong to an earlier history).
     */
    private void checkStoredPositionExists() {
        List<StoredOffset> stored;
        try {
            stored = new OffsetStoreReader(store.dataSource()).offsets(settings.getName());
        } catch (RuntimeException e) {
            throw new OperatorFailure(ExitStatus.UNREACHABLE, "Could not read the stored offset of connector " + settings.getName() + " from the store ("
                    + e.getMessage() + ")", "check cdc.store.url and the store user's grants", e);
        }
        // Read after the offsets: a running leader keeps committing, so sizes read earlier could be behind its offset.
        Map<String, Long> binlogSizes = stored.isEmpty() ? Map.of() : inspector.binlogSizes();
        for (StoredOffset offset : stored) {
            Object file = offset.offset().get("file");
            if (file != null && !binlogSizes.containsKey(file.toString())) {
                throw new OperatorFailure(ExitStatus.CHECK_FAILED, "Stored offset " + file + ":" + offset.offset().get("pos") + " of connector " + settings.getName()
                        + " is no longer on the source (oldest binlog there: "
                        + (binlogSizes.isEmpty() ? "none" : binlogSizes.keySet().iterator().next())
                        + "): the binlog was purged", "run `offsets reset --connector " + settings.getName()
                        + "` to snapshot again, or `offsets set` to a position that exists");
            }
            if (file != null && offset.offset().get("pos") instanceof Number pos && pos.longValue() > binlogSizes.get(file.toString())) {
                throw new OperatorFailure(ExitStatus.CHECK_FAILED, "Stored offset " + file + ":" + pos + " of connector " + settings.getName() + " lies beyond the end of "
                        + file + " on the source (" + binlogSizes.get(file.toString()) + " bytes): the binlog was reset (RESET MASTER "
                        + "or a rebuilt server)", "run `offsets reset --connector " + settings.getName()
                        + "` to snapshot again (a new lineage generation), or `offsets set` to a position of the new binlog");
            }
        }
    }

    String bootstrapServers() {
        return environment.getProperty("kafka.bootstrap.servers", String.class).orElse(null);
    }

    /**
     * The configured {@code debezium.*} keys, plus schema recovery when the term has an offset but no schema history
     * (after `offsets set` to another server, which deletes the history of the old one): the engine then takes the
     * current tables' structure from the source before it streams from the offset, instead of failing on rows of tables
     * it does not know. Recovery is only right when the tables did not change since the offset, which holds for a
     * position just set on a server that holds the same data.
     */
    private Map<String, String> engineOverrides(Lease lease) {
        Map<String, String> overrides = debeziumOverrides();
        OffsetStoreReader reader = new OffsetStoreReader(store.dataSource());
        if (!overrides.containsKey("snapshot.mode") && !reader.offsets(settings.getName()).isEmpty() && !reader.hasSchemaHistory(settings.getName())) {
            log.warn("Connector {} epoch {}: the stored offset has no schema history; rebuilding it from the source's current tables "
                    + "(snapshot.mode=recovery) before streaming", settings.getName(), lease.epoch());
            overrides.put("snapshot.mode", "recovery");
        }
        return overrides;
    }

    private Map<String, String> debeziumOverrides() {
        return stringMap(environment.getProperties("debezium", StringConvention.RAW));
    }

    private Map<String, Object> producerOverrides() {
        return kafkaClients().producer();
    }

    private KafkaClientSettings kafkaClients() {
        return new KafkaClientSettings(kafkaProperties("kafka"), kafkaProperties("kafka.producer"));
    }

    /**
     * The keys under {@code prefix} as Kafka spells them. Keys from environment variables (KAFKA_SASL_JAAS_CONFIG) come
     * only in the normalized view, in every dot/dash spelling: the dotted one is Kafka's. Keys from files and system
     * properties keep their spelling in the raw view, which wins.
     */
    private Map<String, Object> kafkaProperties(String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        environment.getProperties(prefix).forEach((key, value) -> {
            if (!key.contains("-")) {
                out.put(key, value);
            }
        });
        out.putAll(environment.getProperties(prefix, StringConvention.RAW));
        return out;
    }

    private static Map<String, String> stringMap(Map<String, ?> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v.toString());
            }
        });
        return out;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
