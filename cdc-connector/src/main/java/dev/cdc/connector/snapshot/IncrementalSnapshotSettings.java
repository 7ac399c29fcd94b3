package dev.cdc.connector.snapshot;

import dev.cdc.connector.config.ConnectorSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Debezium keys of an incremental initial snapshot (docs/design.md, "Snapshots"): the source signal channel on
 * {@code cdc.snapshot.signal-table}, the chunk size, the notifications that tell {@link IncrementalSnapshotStarter} the
 * structure snapshot completed, and the first snapshot itself: structure only ({@code no_data}), or, when some tables
 * have no primary key, a blocking snapshot of just those (an incremental snapshot chunks by key and skips them).
 */
public final class IncrementalSnapshotSettings {

    private IncrementalSnapshotSettings() {
    }

    /** The engine's notification topic of this connector; never one of ours (not {@code <prefix>.<db>.<table>}). */
    public static String notificationTopic(String connectorName) {
        return "__cdc_notifications_" + connectorName;
    }

    /** @param keylessTables {@code db.table} of the source's tables without a primary key */
    public static Map<String, String> engineProperties(ConnectorSettings settings, List<String> keylessTables) {
        ConnectorSettings.Snapshot snapshot = settings.getSnapshot();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("signal.enabled.channels", "source");
        p.put("signal.data.collection", snapshot.getSignalTable());
        p.put("incremental.snapshot.chunk.size", Integer.toString(snapshot.getChunkSize()));
        p.put("notification.enabled.channels", "sink");
        p.put("notification.sink.topic.name", notificationTopic(settings.getName()));
        if (keylessTables.isEmpty()) {
            p.put("snapshot.mode", "no_data");
        } else {
            p.put("snapshot.mode", "initial");
            p.put("snapshot.include.collection.list", String.join(",", keylessTables.stream().map(IncrementalSnapshotSettings::exact).toList()));
        }
        return p;
    }

    /** The regex that matches just this name (Debezium splits lists at commas, so \\Q...\\E quoting is avoided). */
    static String exact(String table) {
        StringBuilder b = new StringBuilder();
        for (char c : table.toCharArray()) {
            if ("\\.[]{}()<>*+-=!?^$|,".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
