package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FencingExceptionTest {

    @Test
    void messageNamesConnectorBothEpochsAndTheHolder() {
        FencingException e = new FencingException("demo", 6, 7L, "b-1234");
        assertEquals("Fenced: connector demo is now at lease epoch 7 held by b-1234; this writer has epoch 6 and must stop", e.getMessage());
        assertEquals(6, e.writerEpoch());
        assertEquals(7L, e.currentEpoch());
        assertEquals("b-1234", e.currentOwner());
    }

    @Test
    void offsetKeysAreParsedIntoPartitions() {
        assertEquals(Map.of("server", "demo"), FencedOffsetBackingStore.partitionOf("[\"demo\",{\"server\":\"demo\"}]", "demo"));
        assertEquals(null, FencedOffsetBackingStore.partitionOf("[\"other\",{\"server\":\"demo\"}]", "demo"));
        assertEquals(null, FencedOffsetBackingStore.partitionOf("not json", "demo"));
    }

    @Test
    void decodingLeavesTheCallersBufferUntouched() {
        ByteBuffer b = ByteBuffer.wrap("[\"é\"]".getBytes(StandardCharsets.UTF_8));
        assertEquals("[\"é\"]", FencedOffsetBackingStore.decode(b));
        assertEquals(0, b.position());
    }
}
