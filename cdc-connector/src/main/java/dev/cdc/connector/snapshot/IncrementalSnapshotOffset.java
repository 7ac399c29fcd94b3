package dev.cdc.connector.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tables still to be snapshotted from the incremental-snapshot state that Debezium keeps in the source
 * offset (key {@value #COLLECTIONS}: a JSON array of {@code {"incremental_snapshot_collections_id": "db.table", ...}}).
 * The state is in the fenced offsets, so a new leader continues the snapshot where the last committed chunk ended.
 */
public final class IncrementalSnapshotOffset {

    public static final String COLLECTIONS = "incremental_snapshot_collections";
    private static final Pattern ID = Pattern.compile("\"incremental_snapshot_collections_id\"\\s*:\\s*\"([^\"]+)\"");

    private IncrementalSnapshotOffset() {
    }

    /** The {@code db.table} names in the offset's collections value, in snapshot order; empty when none. */
    public static List<String> tables(String collectionsJson) {
        List<String> out = new ArrayList<>();
        if (collectionsJson == null) {
            return out;
        }
        Matcher m = ID.matcher(collectionsJson);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
