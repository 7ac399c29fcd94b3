package dev.cdc.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.processor.startup.StartupCheckException;
import org.junit.jupiter.api.Test;

class ApplicationTest {

    @Test
    void aStartupCheckMessageIsTheLine() {
        RuntimeException wrapped = new RuntimeException("Error instantiating bean\nwith details",
                new StartupCheckException("cdc.topic-prefix is not set. Fix: set it."));
        assertEquals("cdc.topic-prefix is not set. Fix: set it.", Application.startupFailureLine(wrapped));
    }

    @Test
    void otherFailuresUseTheInnermostMessageOnOneLine() {
        RuntimeException wrapped = new RuntimeException("outer", new IllegalStateException("Failed to convert\n  'abc' to int"));
        String line = Application.startupFailureLine(wrapped);
        assertTrue(line.startsWith("startup failed: Failed to convert 'abc' to int. Fix:"), line);
        assertTrue(!line.contains("\n"));
    }
}
