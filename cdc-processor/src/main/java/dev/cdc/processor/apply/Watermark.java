package dev.cdc.processor.apply;

import dev.cdc.processor.event.SourcePosition;

/**
 * The applied state of one topic-partition, a row of {@code cdc_apply_watermark}: the highest source position
 * applied (null until the first streamed change) and the next Kafka offset to apply. Both move only inside the
 * transaction that applies the rows.
 */
final class Watermark {

    final String topic;
    final int partition;
    SourcePosition position;
    long nextOffset;
    boolean dirty;

    Watermark(String topic, int partition, SourcePosition position, long nextOffset) {
        this.topic = topic;
        this.partition = partition;
        this.position = position;
        this.nextOffset = nextOffset;
    }
}
