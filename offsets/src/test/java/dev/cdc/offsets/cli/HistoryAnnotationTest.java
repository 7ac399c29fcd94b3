package dev.cdc.offsets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.offsets.OffsetLogEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryAnnotationTest {

    private static OffsetLogEntry entry(long id, long epoch, String owner, String kind) {
        return new OffsetLogEntry(id, "demo", "[\"demo\",{\"server\":\"demo\"}]", "reset".equals(kind) ? null : "{\"file\":\"binlog.000001\",\"pos\":" + id + "}",
                epoch, owner, kind, Instant.ofEpochSecond(id));
    }

    @Test
    void aCommitUnderANewEpochOrInstanceIsAFailoverAndManualChangesAreNamed() {
        // newest first, as the log is read
        List<OffsetLogEntry> log = List.of(entry(6, 4, "b", "commit"), entry(5, 3, "offsets-cli@h", "set"), entry(4, 2, "b", "commit"),
                entry(3, 1, "a", "commit"), entry(2, 1, "a", "commit"), entry(1, 1, "a", "commit"));
        List<HistoryCommand.Row> rows = HistoryCommand.annotate(log, 5);
        assertEquals(5, rows.size(), "the extra oldest entry is only compared with");
        assertEquals(6, rows.get(0).entry().id());
        assertTrue(rows.get(0).failover());
        assertEquals("failover: epoch 2 -> 4 (same instance b)", rows.get(0).note());
        assertEquals("manual set by offsets-cli@h", rows.get(1).note());
        assertFalse(rows.get(1).failover());
        assertEquals("failover: epoch 1 -> 2, a -> b", rows.get(2).note());
        assertNull(rows.get(3).note());
        assertNull(rows.get(4).note(), "compared with the entry before it, which is not shown");
    }
}
