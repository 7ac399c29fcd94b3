package dev.cdc.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourcePositionTest {

    @Test
    void aNewerGenerationIsNeverADuplicateWhateverItsCoordinates() {
        SourcePosition applied = SourcePosition.of(0, "binlog.000007", 90_000, 3, 1, 0);
        SourcePosition afterReset = SourcePosition.of(1, "binlog.000001", 4, 0, 0, 0);
        assertFalse(afterReset.isAtOrBelow(applied));
        assertTrue(afterReset.startsNewGeneration(applied));
        assertTrue(applied.isAtOrBelow(afterReset), "an older generation is below every newer one");
    }

    @Test
    void withinAGenerationTheCoordinatesOrderInFileThenPositionEventRowSub() {
        SourcePosition p = SourcePosition.of(2, "binlog.000002", 100, 1, 1, 0);
        assertTrue(SourcePosition.of(2, "binlog.000001", 999_999, 9, 9, 9).isAtOrBelow(p));
        assertTrue(SourcePosition.of(2, "binlog.000002", 100, 1, 1, 0).isAtOrBelow(p));
        assertFalse(SourcePosition.of(2, "binlog.000002", 100, 1, 1, 1).isAtOrBelow(p));
        assertFalse(SourcePosition.of(2, "binlog.000002", 100, 1, 2, 0).isAtOrBelow(p));
        assertFalse(SourcePosition.of(2, "binlog.000002", 100, 2, 0, 0).isAtOrBelow(p));
        assertFalse(SourcePosition.of(2, "binlog.000010", 4, 0, 0, 0).isAtOrBelow(p), "file 10 follows file 2 (numeric, not text order)");
        assertFalse(p.isAtOrBelow(null));
    }

    @Test
    void binlogFileNamesMustEndInASequenceNumber() {
        assertEquals(7, BinlogCoordinates.fileSequence("mysql-bin.000007"));
        assertThrows(IllegalArgumentException.class, () -> BinlogCoordinates.fileSequence("binlog"));
        assertThrows(IllegalArgumentException.class, () -> BinlogCoordinates.fileSequence(null));
    }

    @Test
    void coordinatesComeFromTheEngineOffsetAndFormTheHeader() {
        BinlogCoordinates c = BinlogCoordinates.fromOffset(Map.of("file", "binlog.000003", "pos", 4711L, "event", 2, "row", "1", "gtids", "0-1-57"));
        assertEquals("binlog.000003:4711:2:1:0", c.header(0));
        assertEquals("0-1-57", c.gtids());
        assertEquals(SourcePosition.of(5, "binlog.000003", 4711, 2, 1, 3), SourcePosition.of(5, c, 3));
    }
}
