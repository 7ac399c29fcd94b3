package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final String EXPOSITION = """
            # HELP cdc_processor_applied_total Records applied
            # TYPE cdc_processor_applied_total counter
            cdc_processor_applied_total{op="c",} 1200.0
            cdc_processor_applied_total{op="u",} 800.0
            cdc_processor_applied_total{op="d",} 3.0
            cdc_processor_duplicates_skipped_total 17.0
            """;

    @Test
    void readsOneSeriesByTagOrTheSumOfAll() {
        assertEquals(1200.0, Metrics.prometheusValue(EXPOSITION, "cdc.processor.applied", "op:c"));
        assertEquals(2003.0, Metrics.prometheusValue(EXPOSITION, "cdc.processor.applied", null));
        assertEquals(17.0, Metrics.prometheusValue(EXPOSITION, "cdc.processor.duplicates.skipped", null));
        assertEquals(0.0, Metrics.prometheusValue(EXPOSITION, "cdc.processor.dead.lettered", null));
        assertEquals(0.0, Metrics.prometheusValue(null, "cdc.processor.applied", null));
    }
}
