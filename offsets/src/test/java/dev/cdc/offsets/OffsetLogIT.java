package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetLogIT {

    @TempDir
    static Path work;
    static TestStore t;

    @BeforeAll
    static void start() throws Exception {
        t = TestStore.start(work);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void manualChangesAreAppendedAndReadNewestFirst() {
        OffsetLog log = new OffsetLog(t.store.dataSource());
        String key = "[\"manual\",{\"server\":\"manual\"}]";
        log.append("manual", key, "{\"file\":\"binlog.000002\",\"pos\":4}", 3, "operator@host", OffsetLogEntry.SET);
        log.append("manual", key, null, 3, "operator@host", OffsetLogEntry.RESET);
        log.append("elsewhere", key, "{}", 1, "x", OffsetLogEntry.SET);

        List<OffsetLogEntry> entries = log.recent("manual", 10);
        assertEquals(2, entries.size());
        assertEquals("reset", entries.get(0).kind());
        assertNull(entries.get(0).offsetValue());
        assertEquals("set", entries.get(1).kind());
        assertEquals("{\"file\":\"binlog.000002\",\"pos\":4}", entries.get(1).offsetValue());
        assertEquals(3, entries.get(1).epoch());
        assertEquals("operator@host", entries.get(1).ownerId());
        Instant committed = entries.get(0).committedAt();
        assertTrue(Duration.between(committed, Instant.now()).abs().toMinutes() < 5, "committed_at is a UTC instant: " + committed);
        assertEquals(1, log.recent("manual", 1).size());

        assertThrows(IllegalArgumentException.class, () -> log.append("manual", key, "{}", 3, "op", "rewind"));
    }

    @Test
    void storedOffsetsAreListedWithTheOffsetParsed() throws Exception {
        Lease lease = new LeaseManager(t.store.dataSource(), "reader", "a", Duration.ofSeconds(60)).tryAcquire().orElseThrow();
        FencedOffsetBackingStore store = new FencedOffsetBackingStore(t.config, "reader", "a", lease.epoch());
        store.start();
        String key = "[\"reader\",{\"server\":\"reader\"}]";
        String value = "{\"ts_sec\":1763000000,\"file\":\"binlog.000001\",\"pos\":2765,\"gtids\":\"0-1-11\",\"row\":1,\"server_id\":1,\"event\":2}";
        try {
            store.set(Map.of(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8))), null).get();
        } finally {
            store.stop();
        }

        OffsetStoreReader reader = new OffsetStoreReader(t.store.dataSource());
        List<StoredOffset> offsets = reader.offsets("reader");
        assertEquals(1, offsets.size());
        StoredOffset offset = offsets.get(0);
        assertEquals("reader", offset.connectorName());
        assertEquals(key, offset.partitionKey());
        assertEquals(Map.of("server", "reader"), offset.partition());
        assertEquals("binlog.000001", offset.offset().get("file"));
        assertEquals(2765, ((Number) offset.offset().get("pos")).intValue());
        assertEquals("0-1-11", offset.offset().get("gtids"));
        assertEquals(List.of("ts_sec", "file", "pos", "gtids", "row", "server_id", "event"), List.copyOf(offset.offset().keySet()));
        assertEquals(lease.epoch(), offset.epoch());
        assertTrue(Duration.between(offset.committedAt(), Instant.now()).abs().toMinutes() < 5);
        assertTrue(reader.connectors().contains("reader"));
        assertEquals(List.of(), reader.offsets("nobody"));
    }
}
