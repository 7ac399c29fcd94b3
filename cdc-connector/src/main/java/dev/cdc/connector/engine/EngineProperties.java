package dev.cdc.connector.engine;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.source.SourceAddress;
import dev.cdc.connector.source.SourceFlavor;
import dev.cdc.connector.transform.NetworkAddressConverter;
import dev.cdc.connector.transform.UuidConverter;
import dev.cdc.connector.transform.ZeroDateConverter;
import dev.cdc.offsets.FencedOffsetBackingStore;
import dev.cdc.offsets.FencedSchemaHistory;
import dev.cdc.offsets.Lease;
import dev.cdc.offsets.StoreConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Debezium engine configuration of one leadership term: connector class by source flavor, the fenced
 * offset store and schema history carrying this term's epoch, our encoding choices, the capture filters,
 * then every {@code debezium.*} key unchanged (it wins).
 */
public final class EngineProperties {

    /** The store's own database is never captured. */
    static final String STORE_DATABASE_EXCLUDE = "cdc_store";

    /** Run on every JDBC connection of the engine (not the binlog reader's): see where it is set. */
    static final String SNAPSHOT_SESSION = "SET SESSION net_write_timeout=3600";

    private EngineProperties() {
    }

    public static Properties build(ConnectorSettings settings, SourceFlavor flavor, Lease lease, StoreConfig store,
                                   Map<String, String> debeziumOverrides) {
        Properties p = new Properties();
        String name = settings.getName();
        SourceAddress source = SourceAddress.parse(settings.getSource().getUrl());
        p.setProperty("name", name);
        p.setProperty("connector.class", flavor.connectorClass());
        // topic.prefix is part of the offset key ([name, {server: prefix}]): it is the connector name, never the topic prefix.
        p.setProperty("topic.prefix", name);
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.user", settings.getSource().getUser());
        p.setProperty("database.password", settings.getSource().getPassword() == null ? "" : settings.getSource().getPassword());
        p.setProperty("database.server.id", Integer.toString(serverId(settings)));
        DebeziumTls.put(p, settings.getSource().getTls().check("cdc.source."), flavor);

        p.setProperty("offset.storage", FencedOffsetBackingStore.class.getName());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("offset.flush.timeout.ms", "10000");
        p.setProperty(StoreConfig.URL, store.url());
        p.setProperty(StoreConfig.USER, store.user());
        p.setProperty(StoreConfig.PASSWORD, store.password() == null ? "" : store.password());
        p.setProperty(FencedOffsetBackingStore.CONNECTOR_NAME, name);
        p.setProperty(FencedOffsetBackingStore.OWNER_ID, lease.ownerId());
        p.setProperty(FencedOffsetBackingStore.LEASE_EPOCH, Long.toString(lease.epoch()));
        store.tls().toSettings(StoreConfig.PREFIX).forEach(p::setProperty);

        String history = "schema.history.internal";
        p.setProperty(history, FencedSchemaHistory.class.getName());
        p.setProperty(history + "." + StoreConfig.URL, store.url());
        p.setProperty(history + "." + StoreConfig.USER, store.user());
        p.setProperty(history + "." + StoreConfig.PASSWORD, store.password() == null ? "" : store.password());
        p.setProperty(history + "." + FencedOffsetBackingStore.CONNECTOR_NAME, name);
        p.setProperty(history + "." + FencedOffsetBackingStore.OWNER_ID, lease.ownerId());
        p.setProperty(history + "." + FencedOffsetBackingStore.LEASE_EPOCH, Long.toString(lease.epoch()));
        store.tls().toSettings(history + "." + StoreConfig.PREFIX).forEach(p::setProperty);

        // Encoding choices of the event format (docs/event-format.md).
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        // The server already turned two-digit years into four-digit ones on insert; Debezium's adjuster would also move
        // the stored years 0..99 (YEAR 0000, DATE 0001-01-01) into 2000..2099.
        p.setProperty("enable.time.adjuster", "false");
        // The drivers read YEAR as a java.sql.Date by default, and YEAR 0000 (no such date) fails the whole snapshot.
        p.setProperty("driver.yearIsDateType", "false");
        // YEAR 0000, and the zero date in NOT NULL DATE/DATETIME/TIMESTAMP columns, arrive as stored (ZeroDateConverter).
        p.setProperty("converters", "zerodates,inet,uuid");
        p.setProperty("zerodates.type", ZeroDateConverter.class.getName());
        // MariaDB INET4/INET6 and UUID values as the server's text form, from the binlog's bytes as from the snapshot.
        p.setProperty("inet.type", NetworkAddressConverter.class.getName());
        p.setProperty("uuid.type", UuidConverter.class.getName());
        p.setProperty("column.propagate.source.type", ".*");
        // Schema changes come through the batch handler: a snapshot's CREATE TABLE events announce every captured table,
        // even an empty one, so that the transform can send its snapshot-started markers (docs/design.md, "Converge").
        p.setProperty("include.schema.changes", "true");
        // Debezium reports TRUNCATE TABLE only as a truncate record (op t), which it skips by default; the transform
        // turns it into a schema-change event (docs/design.md, "Schema changes").
        p.setProperty("skipped.operations", "none");
        p.setProperty("tombstones.on.delete", "true");
        // The default 500 ms poll interval dominates latency at low rates (STACK-NOTES): 10 ms keeps p50 in tens of ms.
        p.setProperty("poll.interval.ms", "10");
        p.setProperty("max.batch.size", "4096");
        p.setProperty("max.queue.size", "16384");
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("connect.timeout.ms", "10000");
        // A blocking snapshot reads a table as one streamed result; while a full queue holds the reader back for longer than
        // the server's net_write_timeout (60 s by default), the server drops the connection and the snapshot starts again
        // from row 1 (SnapshotBenchmark at load 43: reset after 61 s and 9,709 rows, 10,306 rows read twice). One hour.
        p.setProperty("database.initial.statements", SNAPSHOT_SESSION);

        ConnectorSettings.Capture capture = settings.getCapture();
        if (!capture.getDatabases().isEmpty()) {
            p.setProperty("database.include.list", String.join(",", capture.getDatabases()));
        } else {
            p.setProperty("database.exclude.list", STORE_DATABASE_EXCLUDE);
        }
        putList(p, "table.include.list", capture.getTablesInclude());
        putList(p, "table.exclude.list", capture.getTablesExclude());
        putList(p, "column.include.list", capture.getColumnsInclude());
        putList(p, "column.exclude.list", capture.getColumnsExclude());
        putList(p, "column.mask.with.12.chars", capture.getColumnsMask());
        putList(p, "column.mask.hash.SHA-256.with.salt." + capture.getHashSalt(), capture.getColumnsHash());

        if (sameServer(source, store.url())) {
            // The snapshot's global read lock would block our own store writes on that server and deadlock the snapshot.
            p.setProperty("snapshot.locking.mode", "none");
        }
        debeziumOverrides.forEach(p::setProperty);
        return p;
    }

    static boolean sameServer(SourceAddress source, String storeUrl) {
        try {
            SourceAddress store = SourceAddress.parse(storeUrl);
            return store.port() == source.port() && (store.host().equals(source.host()) || isLoopback(store.host()) && isLoopback(source.host()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static void putList(Properties p, String key, List<String> values) {
        if (values != null && !values.isEmpty()) {
            p.setProperty(key, String.join(",", values));
        }
    }

    /** Distinct per instance (two binlog clients with one server id make the server drop one of them). */
    static int serverId(ConnectorSettings settings) {
        Integer configured = settings.getSource().getServerId();
        if (configured != null) {
            return configured;
        }
        return ConnectorSettings.DEFAULT_SERVER_ID_BASE + Math.floorMod(settings.getInstanceId().hashCode(), 10_000);
    }
}
