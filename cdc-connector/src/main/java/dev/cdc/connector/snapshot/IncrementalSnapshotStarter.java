package dev.cdc.connector.snapshot;

import dev.cdc.connector.engine.BatchHandler;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the rows part of an incremental initial snapshot (docs/design.md, "Snapshots"). The engine first takes the
 * tables' structure (and the rows of the tables without a primary key, see {@link IncrementalSnapshotSettings}); its
 * {@code CREATE TABLE} events name the captured tables. When Debezium reports that this initial snapshot completed,
 * an {@code execute-snapshot} signal row for the tables with a primary key is written to the source's signal table —
 * before the batch's offsets are committed. The row is in the binlog after the snapshot's position, so it is durable:
 * a leader that dies after the commit leaves it for the next leader to read from the binlog; one that dies before
 * leaves no committed end of snapshot, so the next leader takes the structure again and writes its own signal.
 * Not thread-safe: the engine's batch thread calls it.
 */
public final class IncrementalSnapshotStarter implements BatchHandler.BeforeCommit {

    private static final Logger log = LoggerFactory.getLogger(IncrementalSnapshotStarter.class);

    /** Writes one signal row; the connector's own source connection in production. */
    @FunctionalInterface
    public interface SignalWriter {
        void insert(String id, String type, String data) throws SQLException;
    }

    private final String connector;
    private final long epoch;
    private final String debeziumPrefix;
    private final String notificationTopic;
    private final String signalTable;
    private final SignalWriter writer;
    private final Set<String> keyedTables = new LinkedHashSet<>();
    private boolean signalled;

    public IncrementalSnapshotStarter(String connector, long epoch, String debeziumPrefix, String notificationTopic, String signalTable,
                                      SignalWriter writer) {
        this.connector = connector;
        this.epoch = epoch;
        this.debeziumPrefix = debeziumPrefix;
        this.notificationTopic = notificationTopic;
        this.signalTable = signalTable;
        this.writer = writer;
    }

    @Override
    public void beforeCommit(List<SourceRecord> records) {
        for (SourceRecord record : records) {
            if (record.topic().equals(debeziumPrefix)) {
                collectCreatedTables(record);
            } else if (record.topic().equals(notificationTopic) && isInitialSnapshotCompleted(record)) {
                signal();
            }
        }
    }

    private void collectCreatedTables(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("tableChanges") == null) {
            return;
        }
        List<?> changes = value.getArray("tableChanges");
        if (changes == null) {
            return;
        }
        for (Object change : changes) {
            Struct c = (Struct) change;
            if (!"CREATE".equals(c.getString("type"))) {
                continue;
            }
            String id = c.getString("id").replace("\"", "").replace("`", "");
            Struct table = c.getStruct("table");
            List<?> key = table == null || table.schema().field("primaryKeyColumnNames") == null ? null : table.getArray("primaryKeyColumnNames");
            if (key != null && !key.isEmpty() && !id.equalsIgnoreCase(signalTable)) {
                keyedTables.add(id);
            }
        }
    }

    private static boolean isInitialSnapshotCompleted(SourceRecord record) {
        return record.value() instanceof Struct n && n.schema().field("aggregate_type") != null
                && "Initial Snapshot".equals(n.getString("aggregate_type")) && "COMPLETED".equals(n.getString("type"));
    }

    private void signal() {
        if (signalled) {
            return;
        }
        signalled = true;
        if (keyedTables.isEmpty()) {
            log.info("Connector {} epoch {}: no captured table has a primary key; no incremental snapshot to start", connector, epoch);
            return;
        }
        List<String> tables = new ArrayList<>(keyedTables);
        String id = connector + "-initial-" + epoch + "-" + Long.toHexString(System.nanoTime());
        String data = signalData(tables);
        try {
            writer.insert(id, "execute-snapshot", data);
        } catch (SQLException e) {
            // The batch fails, its offsets stay uncommitted, and the next term takes the structure again and retries.
            throw new IllegalStateException("Connector " + connector + " could not write the incremental snapshot signal to " + signalTable
                    + " on the source (" + e.getMessage() + "): create it and GRANT INSERT on it to the connector user (sql/source/cdc-user.sql)", e);
        }
        log.info("Connector {} epoch {}: structure snapshot done; incremental snapshot of {} tables signalled ({}): {}", connector, epoch,
                tables.size(), id, tables);
    }

    static String signalData(List<String> tables) {
        StringBuilder b = new StringBuilder("{\"type\":\"incremental\",\"data-collections\":[");
        for (int i = 0; i < tables.size(); i++) {
            b.append(i > 0 ? "," : "").append('"').append(tables.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append("]}").toString();
    }
}
