package dev.cdc.processor.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The dead letters not yet replayed, as the processor needs them while it applies: the tables they make diverged
 * (for /health and the metrics) and the keys they hold back. A later change of a key with a pending dead letter must
 * not be applied before it, or a replay would put an older row image over a newer one: such changes are dead-lettered
 * too ("waits for" the first one) and replayed after it, in source order. Records without a key (tables without a
 * primary key) all share one key per topic, so such a table waits as a whole.
 *
 * <p>Loaded from {@code cdc_dead_letter} on first use and after every repair request; changed by the thread that holds
 * the {@code ApplyGate}.
 */
@Singleton
public class PendingDeadLetters {

    public static final String DIVERGED_TABLES = "cdc.processor.diverged.tables";
    public static final String PENDING = "cdc.processor.dead.letters.pending";

    private final DataSource dataSource;
    /** topic → key (base64; "" without key) → id of its first pending dead letter. */
    private final Map<String, Map<String, Long>> held = new HashMap<>();
    /** source table → pending dead letters. */
    private final Map<String, Integer> byTable = new TreeMap<>();
    private boolean loaded;

    public PendingDeadLetters(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        Gauge.builder(DIVERGED_TABLES, this, p -> p.divergedTables().size())
                .description("Tables with dead letters not yet replayed: the target differs from the source there").register(registry);
        Gauge.builder(PENDING, this, PendingDeadLetters::pendingCount)
                .description("Dead-lettered records not yet replayed or purged").register(registry);
    }

    /** Loads the state once; throws while the target database is unreachable (the caller retries). */
    public void ensureLoaded() throws SQLException {
        synchronized (this) {
            if (loaded) {
                return;
            }
        }
        reload();
    }

    public void reload() throws SQLException {
        Map<String, Map<String, Long>> keys = new HashMap<>();
        Map<String, Integer> tables = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, topic, source_table, record_key FROM " + RepairTables.DEAD_LETTER
                     + " WHERE status = '" + DeadLetterStore.PENDING + "' ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.computeIfAbsent(rs.getString(2), t -> new HashMap<>()).putIfAbsent(key(rs.getBytes(4)), rs.getLong(1));
                tables.merge(rs.getString(3), 1, Integer::sum);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        synchronized (this) {
            held.clear();
            held.putAll(keys);
            byTable.clear();
            byTable.putAll(tables);
            loaded = true;
        }
    }

    /** The id of the pending dead letter that a record of {@code topic} with {@code key} must wait for, or null. */
    public synchronized Long heldBy(String topic, byte[] key) {
        Map<String, Long> keys = held.get(topic);
        return keys == null ? null : keys.get(key(key));
    }

    public synchronized boolean holdsAnyOf(String topic) {
        Map<String, Long> keys = held.get(topic);
        return keys != null && !keys.isEmpty();
    }

    /** A dead letter was committed. */
    public synchronized void added(String topic, byte[] key, String sourceTable, long id) {
        held.computeIfAbsent(topic, t -> new HashMap<>()).putIfAbsent(key(key), id);
        byTable.merge(sourceTable, 1, Integer::sum);
    }

    /** Diverged tables with their pending dead letters, by name. */
    public synchronized Map<String, Integer> divergedTables() {
        return Map.copyOf(byTable);
    }

    private synchronized double pendingCount() {
        return byTable.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String key(byte[] key) {
        return key == null ? "" : Base64.getEncoder().encodeToString(key);
    }
}
