package dev.cdc.connector.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidConverterTest {

    @Test
    void binlogBytesWithoutTheirTrailingZerosArePaddedBack() {
        // What the binlog carries for 123e4567-e89b-12d3-a456-426614174000: its last byte, 00, is left out.
        assertEquals("123e4567-e89b-12d3-a456-426614174000", UuidConverter.text(HexFormat.of().parseHex("123e4567e89b12d3a4564266141740")));
        assertEquals("00000000-0000-0000-0000-000000000000", UuidConverter.text(new byte[0]));
        assertEquals("ffffffff-ffff-ffff-ffff-ffffffffff00", UuidConverter.text(HexFormat.of().parseHex("ffffffffffffffffffffffffffffff")));
        assertEquals("6ccd780c-baba-1026-9564-5b8c656024db", UuidConverter.text(HexFormat.of().parseHex("6ccd780cbaba102695645b8c656024db")));
    }

    @Test
    void snapshotValues() {
        assertEquals("123e4567-e89b-12d3-a456-426614174000", UuidConverter.text(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        assertNull(UuidConverter.text(null));
    }
}
