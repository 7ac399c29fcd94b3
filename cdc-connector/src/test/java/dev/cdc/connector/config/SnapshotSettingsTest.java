package dev.cdc.connector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotSettingsTest {

    @Test
    void bindsTheSnapshotKeys() {
        try (ApplicationContext context = ApplicationContext.builder().properties(Map.of("cdc.snapshot.mode", "incremental",
                "cdc.snapshot.chunk-size", "500", "cdc.snapshot.progress-log-interval", "1s", "cdc.snapshot.signal-table", "ops.signals")).start()) {
            ConnectorSettings.Snapshot snapshot = context.getBean(ConnectorSettings.class).getSnapshot();
            assertEquals(ConnectorSettings.SnapshotMode.INCREMENTAL, snapshot.snapshotMode());
            assertEquals(500, snapshot.getChunkSize());
            assertEquals(Duration.ofSeconds(1), snapshot.getProgressLogInterval());
            assertEquals("ops.signals", snapshot.getSignalTable());
        }
    }

    @Test
    void defaultsAndABadModeNamesTheFix() {
        ConnectorSettings.Snapshot snapshot = new ConnectorSettings.Snapshot();
        assertEquals(ConnectorSettings.SnapshotMode.BLOCKING, snapshot.snapshotMode());
        assertEquals(4096, snapshot.getChunkSize());
        snapshot.setMode("chunked");
        dev.cdc.contract.OperatorFailure e = assertThrows(dev.cdc.contract.OperatorFailure.class, snapshot::snapshotMode);
        assertTrue(e.getMessage().contains("set it to incremental or blocking"), e.getMessage());
    }
}
