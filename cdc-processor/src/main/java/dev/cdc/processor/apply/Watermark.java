package dev.cdc.processor.apply;

import dev.cdc.contract.SourcePosition;

/**
 * The applied state of one topic-partition, a row of {@code cdc_apply_watermark}: the highest source position
 * applied (null until the first streamed change), the next Kafka offset to apply and the id of the topic that offset
 * belongs to (null before it was known). They move only inside the transaction that applies the rows.
 */
public final class Watermark {

    final String topic;
    final int partition;
    SourcePosition position;
    long nextOffset;
    String topicId;
    boolean dirty;

    Watermark(String topic, int partition, SourcePosition position, long nextOffset, String topicId) {
        this.topic = topic;
        this.partition = partition;
        this.position = position;
        this.nextOffset = nextOffset;
        this.topicId = topicId;
    }

    public int partition() {
        return partition;
    }

    public SourcePosition position() {
        return position;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public String topicId() {
        return topicId;
    }
}
