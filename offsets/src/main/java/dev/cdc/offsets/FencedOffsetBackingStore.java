package dev.cdc.offsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's offset store, kept in the shared store and fenced by the lease (docs/design.md, invariant 3): every
 * {@link #set} runs in one transaction that first locks the connector's lease row and compares its owner and epoch with
 * this writer's; if another instance has acquired the lease since, nothing is written and the write fails with a
 * {@link FencingException} (also published through {@link FencingEvents}). Each successful write also appends one
 * {@code cdc_offset_log} row per partition; the log keeps the newest {@value #DEFAULT_LOG_RETENTION} rows per
 * connector by default, pruned inside a fenced write at most once every {@value #DEFAULT_PRUNE_EVERY} writes.
 *
 * <p>Keys and values are the UTF-8 JSON that the engine's converter produced, stored as text byte for byte. The engine
 * creates this class by name (no-arg constructor) and calls {@link #configure(WorkerConfig)}, {@link #start()},
 * {@link #get}, {@link #set} and {@link #stop()}; settings come from the engine properties (see the constants).
 * Calls run synchronously on the caller's thread and return completed futures.
 */
public class FencedOffsetBackingStore implements OffsetBackingStore {

    private static final Logger log = LoggerFactory.getLogger(FencedOffsetBackingStore.class);

    public static final String STORE_URL = StoreConfig.URL;
    public static final String STORE_USER = StoreConfig.USER;
    public static final String STORE_PASSWORD = StoreConfig.PASSWORD;
    /** The connector whose lease fences the writes; also the {@code connector_name} of the offset rows. */
    public static final String CONNECTOR_NAME = "cdc.connector.name";
    /** This instance, written to the offset log. */
    public static final String OWNER_ID = "cdc.owner.id";
    /** The lease epoch under which this engine runs (a new engine, with a new store, per acquisition). */
    public static final String LEASE_EPOCH = "cdc.lease.epoch";
    /** Offset log rows kept per connector (optional). */
    public static final String LOG_RETENTION = "cdc.offset.log.retention";
    /** Prune the offset log once every this many writes of this store (optional). */
    public static final String LOG_PRUNE_EVERY = "cdc.offset.log.prune.every";

    public static final long DEFAULT_LOG_RETENTION = 100_000;
    public static final int DEFAULT_PRUNE_EVERY = 1_000;
    static final int MAX_POOL_SIZE = 2;

    private static final String SELECT_OFFSETS = "SELECT partition_key, offset_value FROM cdc_offset WHERE connector_name = ?";
    private static final String UPSERT = "INSERT INTO cdc_offset (connector_name, partition_key, offset_value, epoch, committed_at)"
            + " VALUES (?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE offset_value = VALUES(offset_value), epoch = VALUES(epoch),"
            + " committed_at = VALUES(committed_at)";
    private static final String DELETE = "DELETE FROM cdc_offset WHERE connector_name = ? AND partition_key = ?";
    private static final String APPEND_LOG = "INSERT INTO cdc_offset_log"
            + " (connector_name, partition_key, offset_value, epoch, owner_id, kind, committed_at) VALUES (?, ?, ?, ?, ?, 'commit', NOW(3))";
    private static final String LOG_CUTOFF = "SELECT id FROM cdc_offset_log WHERE connector_name = ? ORDER BY id DESC LIMIT 1 OFFSET ?";
    private static final String PRUNE_LOG = "DELETE FROM cdc_offset_log WHERE connector_name = ? AND id < ?";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreConfig store;
    private String connectorName;
    private String ownerId;
    private long epoch;
    private long logRetention = DEFAULT_LOG_RETENTION;
    private int pruneEvery = DEFAULT_PRUNE_EVERY;

    private volatile HikariDataSource pool;
    private volatile FencingException fenced;
    private long writes;

    /** For the engine, which then calls {@link #configure(WorkerConfig)}. */
    public FencedOffsetBackingStore() {
    }

    /** For tools and tests: no {@link WorkerConfig} needed; call {@link #start()} next. */
    public FencedOffsetBackingStore(StoreConfig store, String connectorName, String ownerId, long epoch) {
        this(store, connectorName, ownerId, epoch, DEFAULT_LOG_RETENTION, DEFAULT_PRUNE_EVERY);
    }

    public FencedOffsetBackingStore(StoreConfig store, String connectorName, String ownerId, long epoch, long logRetention, int pruneEvery) {
        this.store = Objects.requireNonNull(store, "store");
        this.connectorName = requireText(connectorName, CONNECTOR_NAME);
        this.ownerId = requireText(ownerId, OWNER_ID);
        this.epoch = epoch;
        setLogRetention(logRetention, pruneEvery);
    }

    @Override
    public void configure(WorkerConfig config) {
        Map<String, Object> settings = config.originals();
        try {
            this.store = StoreConfig.fromSettings(settings, "");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        this.connectorName = requireText(text(settings.get(CONNECTOR_NAME)), CONNECTOR_NAME);
        this.ownerId = requireText(text(settings.get(OWNER_ID)), OWNER_ID);
        this.epoch = number(settings, LEASE_EPOCH, null);
        setLogRetention(number(settings, LOG_RETENTION, DEFAULT_LOG_RETENTION), (int) number(settings, LOG_PRUNE_EVERY, (long) DEFAULT_PRUNE_EVERY));
    }

    @Override
    public synchronized void start() {
        if (store == null) {
            throw new IllegalStateException("FencedOffsetBackingStore is not configured: call configure(WorkerConfig) first");
        }
        if (pool == null) {
            pool = StorePools.open(store, "cdc-offsets-" + connectorName, MAX_POOL_SIZE, false);
            log.info("Connector {}: fenced offset store started on {} (owner {}, lease epoch {})", connectorName, store.safeUrl(), ownerId, epoch);
        }
    }

    @Override
    public synchronized void stop() {
        HikariDataSource p = pool;
        pool = null;
        if (p != null) {
            p.close();
            log.info("Connector {}: fenced offset store stopped (lease epoch {})", connectorName, epoch);
        }
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        try {
            Map<String, ByteBuffer> wanted = new HashMap<>();
            for (ByteBuffer key : keys) {
                if (key != null) {
                    wanted.put(decode(key), key);
                }
            }
            Map<ByteBuffer, ByteBuffer> result = new HashMap<>();
            if (wanted.isEmpty()) {
                return CompletableFuture.completedFuture(result);
            }
            for (Map.Entry<String, String> row : readAll().entrySet()) {
                ByteBuffer key = wanted.get(row.getKey());
                if (key != null) {
                    result.put(key, ByteBuffer.wrap(row.getValue().getBytes(StandardCharsets.UTF_8)));
                }
            }
            return CompletableFuture.completedFuture(result);
        } catch (SQLException e) {
            return CompletableFuture.failedFuture(new ConnectException("Connector " + connectorName + ": could not read offsets from the shared store "
                    + store.safeUrl() + " (" + StorePools.firstLine(e.getMessage()) + "): check that the store is reachable", e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        Throwable error = null;
        try {
            write(values);
        } catch (FencingException e) {
            error = e;
        } catch (SQLException e) {
            error = new ConnectException("Connector " + connectorName + ": could not write offsets to the shared store " + store.safeUrl()
                    + " (" + StorePools.firstLine(e.getMessage()) + "): the offsets will be written again with the next commit", e);
        } catch (RuntimeException e) {
            error = e;
        }
        if (callback != null) {
            callback.onCompletion(error, null);
        }
        return error == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(error);
    }

    /**
     * The partitions this store holds for the engine named {@code connectorName} (the first element of the offset key,
     * {@code [name, partition]}).
     */
    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        Set<Map<String, Object>> partitions = new LinkedHashSet<>();
        try {
            for (String key : readAll().keySet()) {
                Map<String, Object> partition = partitionOf(key, connectorName);
                if (partition != null) {
                    partitions.add(partition);
                }
            }
        } catch (SQLException e) {
            throw new ConnectException("Connector " + this.connectorName + ": could not read offsets from the shared store " + store.safeUrl()
                    + " (" + StorePools.firstLine(e.getMessage()) + ")", e);
        }
        return partitions;
    }

    /** The refusal that fenced this store, or null while its writes are accepted. Once fenced, always fenced. */
    public FencingException fenced() {
        return fenced;
    }

    public String connectorName() {
        return connectorName;
    }

    public String ownerId() {
        return ownerId;
    }

    public long epoch() {
        return epoch;
    }

    private void write(Map<ByteBuffer, ByteBuffer> values) throws SQLException {
        FencingException already = fenced;
        if (already != null) {
            // Epochs only grow: a fenced writer can never become current again, so do not ask the store.
            throw already;
        }
        if (values == null || values.isEmpty()) {
            return;
        }
        Map<String, String> rows = new HashMap<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> e : values.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("Connector " + connectorName + ": an offset with a null partition key cannot be stored");
            }
            rows.put(decode(e.getKey()), e.getValue() == null ? null : decode(e.getValue()));
        }
        synchronized (this) {
            try (Connection c = pool().getConnection(); IdleTransactionLimit limit = IdleTransactionLimit.on(c)) {
                try {
                    Fence.check(c, connectorName, ownerId, epoch);
                    writeRows(c, rows);
                    if (writes++ % pruneEvery == 0) {
                        pruneLog(c);
                    }
                    c.commit();
                } catch (FencingException e) {
                    StorePools.rollbackQuietly(c, e);
                    fenced = e;
                    log.error("Connector {}: offset commit refused, nothing written. {}", connectorName, e.getMessage());
                    FencingEvents.publish(e);
                    throw e;
                } catch (SQLException | RuntimeException e) {
                    StorePools.rollbackQuietly(c, e);
                    throw e;
                }
            }
        }
    }

    private void writeRows(Connection c, Map<String, String> rows) throws SQLException {
        boolean anyUpsert = false;
        boolean anyDelete = false;
        try (PreparedStatement upsert = c.prepareStatement(UPSERT);
             PreparedStatement delete = c.prepareStatement(DELETE);
             PreparedStatement append = c.prepareStatement(APPEND_LOG)) {
            for (Map.Entry<String, String> row : rows.entrySet()) {
                if (row.getValue() == null) {
                    delete.setString(1, connectorName);
                    delete.setString(2, row.getKey());
                    delete.addBatch();
                    anyDelete = true;
                } else {
                    upsert.setString(1, connectorName);
                    upsert.setString(2, row.getKey());
                    upsert.setString(3, row.getValue());
                    upsert.setLong(4, epoch);
                    upsert.addBatch();
                    anyUpsert = true;
                }
                append.setString(1, connectorName);
                append.setString(2, row.getKey());
                append.setString(3, row.getValue());
                append.setLong(4, epoch);
                append.setString(5, ownerId);
                append.addBatch();
            }
            if (anyUpsert) {
                upsert.executeBatch();
            }
            if (anyDelete) {
                delete.executeBatch();
            }
            append.executeBatch();
        }
    }

    /** Keeps the newest {@code logRetention} log rows of the connector; runs inside the fenced transaction. */
    private void pruneLog(Connection c) throws SQLException {
        long cutoff;
        try (PreparedStatement ps = c.prepareStatement(LOG_CUTOFF)) {
            ps.setString(1, connectorName);
            ps.setLong(2, logRetention - 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                cutoff = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(PRUNE_LOG)) {
            ps.setString(1, connectorName);
            ps.setLong(2, cutoff);
            int pruned = ps.executeUpdate();
            if (pruned > 0) {
                log.debug("Connector {}: pruned {} offset log rows (keeping the newest {})", connectorName, pruned, logRetention);
            }
        }
    }

    private Map<String, String> readAll() throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = pool().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(SELECT_OFFSETS)) {
                ps.setString(1, connectorName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getString(2));
                    }
                }
            } finally {
                c.commit();
            }
        }
        return rows;
    }

    private HikariDataSource pool() {
        HikariDataSource p = pool;
        if (p == null) {
            throw new IllegalStateException("Connector " + connectorName + ": the fenced offset store is not started");
        }
        return p;
    }

    /** The partition map of an offset key {@code [name, {...}]} if its name is {@code name}, else null. */
    static Map<String, Object> partitionOf(String key, String name) {
        try {
            JsonNode node = JSON.readTree(key);
            if (node == null || !node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isObject()) {
                log.warn("Ignoring offset key that is not [name, partition]: {}", key);
                return null;
            }
            if (!node.get(0).asText().equals(name)) {
                return null;
            }
            return JSON.convertValue(node.get(1), new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            log.warn("Ignoring offset key that is not JSON: {}", key);
            return null;
        }
    }

    /** Strict UTF-8: a byte sequence that would not survive the round trip is refused, not silently replaced. */
    static String decode(ByteBuffer buffer) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer.duplicate());
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Offset key or value is not valid UTF-8 and cannot be stored as text", e);
        }
    }

    private void setLogRetention(long retention, int every) {
        if (retention < 1) {
            throw new ConfigException(LOG_RETENTION, retention, "must be at least 1");
        }
        if (every < 1) {
            throw new ConfigException(LOG_PRUNE_EVERY, every, "must be at least 1");
        }
        this.logRetention = retention;
        this.pruneEvery = every;
    }

    private static long number(Map<String, Object> settings, String key, Long defaultValue) {
        Object value = settings.get(key);
        if (value == null || value.toString().isBlank()) {
            if (defaultValue == null) {
                throw new ConfigException("Missing setting " + key + " for the fenced offset store: the connector must pass it with the engine properties");
            }
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException("Missing setting " + key + " for the fenced offset store: the connector must pass it with the engine properties");
        }
        return value.trim();
    }
}
