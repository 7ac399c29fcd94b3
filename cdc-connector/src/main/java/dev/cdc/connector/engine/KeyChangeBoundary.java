package dev.cdc.connector.engine;

import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Where a batch may end for the stored offset. Debezium publishes an UPDATE that changes a row's primary key as a
 * delete (header {@value #NEW_KEY}), a tombstone and a create (header {@value #OLD_KEY}), all with one source offset,
 * and that offset means "this row is done": resuming from it skips the whole row. If a batch ends after the delete
 * but before the create and its offset were stored, a new term would resume after the row and the create would be
 * lost. So the records of such an unfinished key change at the end of a batch are published but not marked
 * processed: the stored offset stays before the row until a later batch brings the create, and a new term reads the
 * row again (the processor drops the re-sent delete by its position).
 */
final class KeyChangeBoundary {

    static final String NEW_KEY = "__debezium.newkey";
    static final String OLD_KEY = "__debezium.oldkey";

    private KeyChangeBoundary() {
    }

    /** How many records from the start of the batch may be marked processed (all, unless it ends inside a key change). */
    static int committablePrefix(List<SourceRecord> batch) {
        int openFrom = -1;
        for (int i = 0; i < batch.size(); i++) {
            SourceRecord r = batch.get(i);
            if (r.headers().lastWithName(OLD_KEY) != null) {
                openFrom = -1;
            } else if (openFrom < 0 && r.headers().lastWithName(NEW_KEY) != null) {
                openFrom = i;
            }
        }
        return openFrom < 0 ? batch.size() : openFrom;
    }
}
