package dev.cdc.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

    @Test
    void defaults() {
        ProcessorConfig c = new ProcessorConfig();
        assertEquals("cdc-processor", c.getGroupId());
        assertEquals(5, c.getMaxAttempts());
        assertEquals(Duration.ofMillis(200), c.getRetryBackoff());
        assertEquals(Duration.ofSeconds(5), c.getRetryBackoffMax());
        assertEquals("{table}", c.getTableNameFormat());
        assertEquals("stop", c.getErrorPolicy());
        assertEquals(java.util.List.of(), c.getErrorPolicyTables());
        assertEquals(Duration.ofSeconds(1), c.getRequestPollInterval());
    }

    @Test
    void backoffDoublesUpToTheCap() {
        ProcessorConfig c = new ProcessorConfig();
        assertEquals(Duration.ofMillis(200), c.backoff(1));
        assertEquals(Duration.ofMillis(400), c.backoff(2));
        assertEquals(Duration.ofMillis(800), c.backoff(3));
        assertEquals(Duration.ofMillis(3200), c.backoff(5));
        assertEquals(Duration.ofSeconds(5), c.backoff(6));
        assertEquals(Duration.ofSeconds(5), c.backoff(1000));
        assertEquals(Duration.ofMillis(200), c.backoff(0));
    }

    @Test
    void topicPatternMatchesChangeTopicsOnly() {
        var pattern = Topics.changeTopicPattern("demo");
        assertTrue(pattern.matcher("demo.shop.customers").matches());
        assertFalse(pattern.matcher("demo.dlq").matches());
        assertFalse(pattern.matcher("demo.shop.customers.x").matches());
        assertFalse(pattern.matcher("demoXshop.customers").matches());
        assertFalse(pattern.matcher("other.shop.customers").matches());
        assertTrue(Topics.changeTopicPattern("a.b").matcher("a.b.shop.t").matches());
        assertFalse(Topics.changeTopicPattern("a.b").matcher("aXb.shop.t").matches());
    }
}
