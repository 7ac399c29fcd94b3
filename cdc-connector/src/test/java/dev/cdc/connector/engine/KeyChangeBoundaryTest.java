package dev.cdc.connector.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Records shaped like Debezium's: a key change is delete (+newkey), tombstone (+newkey), create (+oldkey), one offset. */
class KeyChangeBoundaryTest {

    static SourceRecord row(long row, String op, String header) {
        ConnectHeaders headers = new ConnectHeaders();
        if (header != null) {
            headers.addString(header, "{\"id\":1}");
        }
        Map<String, ?> offset = Map.of("file", "binlog.000001", "pos", 100L, "event", 1L, "row", row);
        return new SourceRecord(Map.of("server", "t"), offset, "t.shop.items", null, Schema.STRING_SCHEMA, "k" + row,
                op == null ? null : Schema.STRING_SCHEMA, op, null, headers);
    }

    static List<SourceRecord> keyChange(long row) {
        return List.of(row(row, "d", KeyChangeBoundary.NEW_KEY), row(row, null, KeyChangeBoundary.NEW_KEY), row(row, "c", KeyChangeBoundary.OLD_KEY));
    }

    @Test
    void aBatchOfWholeChangesIsCommittedWhole() {
        List<SourceRecord> batch = new ArrayList<>(keyChange(1));
        batch.add(row(2, "u", null));
        batch.addAll(keyChange(3));
        assertEquals(7, KeyChangeBoundary.committablePrefix(batch));
        assertEquals(0, KeyChangeBoundary.committablePrefix(List.of()));
    }

    @Test
    void aBatchEndingAfterTheDeleteOrTombstoneOfAKeyChangeStopsBeforeIt() {
        List<SourceRecord> change = keyChange(2);
        assertEquals(1, KeyChangeBoundary.committablePrefix(List.of(row(1, "u", null), change.get(0))));
        assertEquals(1, KeyChangeBoundary.committablePrefix(List.of(row(1, "u", null), change.get(0), change.get(1))));
        assertEquals(0, KeyChangeBoundary.committablePrefix(List.of(change.get(0))));
        assertEquals(0, KeyChangeBoundary.committablePrefix(List.of(change.get(1))));
    }

    @Test
    void theCreateThatFinishesAKeyChangeStartedInAnEarlierBatchIsCommitted() {
        List<SourceRecord> first = keyChange(1);
        List<SourceRecord> second = keyChange(2);
        assertEquals(4, KeyChangeBoundary.committablePrefix(List.of(first.get(2), second.get(0), second.get(1), second.get(2))));
        assertEquals(1, KeyChangeBoundary.committablePrefix(List.of(first.get(2), second.get(0), second.get(1))));
    }
}
