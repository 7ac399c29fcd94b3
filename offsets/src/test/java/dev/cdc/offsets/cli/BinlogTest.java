package dev.cdc.offsets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinlogTest {

    private static Map<String, Long> logs() {
        Map<String, Long> logs = new LinkedHashMap<>();
        logs.put("binlog.000003", 1000L);
        logs.put("binlog.000004", 500L);
        logs.put("binlog.000005", 300L);
        return logs;
    }

    @Test
    void distanceWithinOneFileIsTheDifference() {
        assertEquals(200L, Binlog.bytesBetween(logs(), "binlog.000005", 100, "binlog.000005", 300));
        assertEquals(0, Binlog.filesBetween(logs(), "binlog.000005", "binlog.000005"));
    }

    @Test
    void distanceAcrossFilesAddsTheRestOfTheFirstTheWholeMiddleAndTheStartOfTheLast() {
        assertEquals((1000 - 400) + 500 + 120L, Binlog.bytesBetween(logs(), "binlog.000003", 400, "binlog.000005", 120));
        assertEquals(2, Binlog.filesBetween(logs(), "binlog.000003", "binlog.000005"));
    }

    @Test
    void unknownOrReversedFilesHaveNoDistance() {
        assertNull(Binlog.bytesBetween(logs(), "binlog.000001", 4, "binlog.000005", 120));
        assertNull(Binlog.bytesBetween(logs(), "binlog.000005", 4, "binlog.000003", 120));
        assertNull(Binlog.filesBetween(logs(), "binlog.000001", "binlog.000005"));
    }

    @Test
    void fileNamesAndGtidSets() {
        assertTrue(Binlog.isFileName("binlog.000042"));
        assertTrue(Binlog.isFileName("mysql-bin.000003"));
        assertFalse(Binlog.isFileName("binlog"));
        assertFalse(Binlog.isFileName("../etc/passwd.1x"));
        assertFalse(Binlog.isFileName("binlog.000001' OR 1=1"));
        assertEquals(42, Binlog.sequence("binlog.000042"));

        assertTrue(Binlog.isGtidSet("0-1-57"));
        assertTrue(Binlog.isGtidSet("0-1-57,1-2-9"));
        assertTrue(Binlog.isGtidSet("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-57"));
        assertTrue(Binlog.isGtidSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11-18,2174b383-5441-11e8-b90a-c80aa9429562:1-3"));
        assertTrue(Binlog.isGtidSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_1:1-5"));
        assertFalse(Binlog.isGtidSet("0-1"));
        assertFalse(Binlog.isGtidSet("abc"));
        assertFalse(Binlog.isGtidSet("0-1-57;DROP"));
    }
}
