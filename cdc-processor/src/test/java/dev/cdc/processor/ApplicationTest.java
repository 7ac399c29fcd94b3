package dev.cdc.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import org.junit.jupiter.api.Test;

class ApplicationTest {

    @Test
    void aStartupCheckFailureIsTheLineAndItsExitStatus() {
        RuntimeException wrapped = new RuntimeException("Error instantiating bean\nwith details",
                new OperatorFailure(ExitStatus.UNREACHABLE, "Kafka at k:9092 did not answer within 30 s", "start the broker."));
        OperatorFailure failure = Application.startupFailure(wrapped);
        assertEquals("cdc-processor: Kafka at k:9092 did not answer within 30 s. Fix: start the broker.", failure.line("cdc-processor"));
        assertEquals(3, failure.status().code());
    }

    @Test
    void otherFailuresUseTheInnermostMessageOnOneLineAsAConfigurationError() {
        RuntimeException wrapped = new RuntimeException("outer", new IllegalStateException("Failed to convert\n  'abc' to int"));
        OperatorFailure failure = Application.startupFailure(wrapped);
        String line = failure.line("cdc-processor");
        assertTrue(line.startsWith("cdc-processor: startup failed: Failed to convert 'abc' to int. Fix:"), line);
        assertFalse(line.contains("\n"));
        assertEquals(ExitStatus.CONFIGURATION, failure.status());
    }
}
