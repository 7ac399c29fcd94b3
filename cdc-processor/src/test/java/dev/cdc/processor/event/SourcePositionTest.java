package dev.cdc.processor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePositionTest {

    @Test
    void fileSequenceIsTheNumericSuffix() {
        assertEquals(123, SourcePosition.fileSequence("binlog.000123"));
        assertEquals(7, SourcePosition.fileSequence("mysql-bin.000007"));
        assertEquals(1_000_000, SourcePosition.fileSequence("/var/lib/mysql/host-bin.1000000"));
    }

    @Test
    void fileSequenceRejectsNamesWithoutNumber() {
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.fileSequence("binlog"));
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.fileSequence("binlog.index"));
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.fileSequence(""));
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.fileSequence(null));
    }

    @Test
    void ordersByFileThenPositionThenEventThenRow() {
        SourcePosition a = SourcePosition.of("binlog.000002", 900, 5, 9);
        SourcePosition b = SourcePosition.of("binlog.000003", 4, 0, 0);
        SourcePosition c = SourcePosition.of("binlog.000003", 4, 1, 0);
        SourcePosition d = SourcePosition.of("binlog.000003", 4, 1, 2);
        SourcePosition e = SourcePosition.of("binlog.000003", 120, 0, 0);
        List<SourcePosition> shuffled = new ArrayList<>(List.of(e, c, a, d, b));
        Collections.shuffle(shuffled);
        Collections.sort(shuffled);
        assertEquals(List.of(a, b, c, d, e), shuffled);
        // A later file wins although its position is smaller (positions restart in every binlog file).
        assertTrue(a.compareTo(b) < 0);
    }

    @Test
    void atOrBelowTheWatermarkIsADuplicate() {
        SourcePosition wm = SourcePosition.of("binlog.000002", 500, 3, 1);
        assertTrue(SourcePosition.of("binlog.000002", 500, 3, 1).isAtOrBelow(wm));
        assertTrue(SourcePosition.of("binlog.000002", 500, 2, 7).isAtOrBelow(wm));
        assertTrue(SourcePosition.of("binlog.000001", 99999, 9, 9).isAtOrBelow(wm));
        assertFalse(SourcePosition.of("binlog.000002", 500, 3, 2).isAtOrBelow(wm));
        assertFalse(SourcePosition.of("binlog.000003", 4, 0, 0).isAtOrBelow(wm));
        assertFalse(SourcePosition.of("binlog.000001", 1, 0, 0).isAtOrBelow(null), "nothing applied yet");
    }

    @Test
    void recordsOfOneRowAreOrderedBySub() {
        SourcePosition delete = SourcePosition.of("binlog.000002", 500, 3, 1, 0);
        SourcePosition create = SourcePosition.of("binlog.000002", 500, 3, 1, 2);
        assertFalse(create.isAtOrBelow(delete), "the create half of a primary-key update is not a duplicate of its delete");
        assertTrue(delete.isAtOrBelow(create));
        assertEquals("2:500:3:1:2", create.toString());
    }
}
