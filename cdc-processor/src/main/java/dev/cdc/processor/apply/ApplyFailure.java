package dev.cdc.processor.apply;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** An apply that was rolled back: transient (retry the same records) or a data failure (isolate the poison record). */
public class ApplyFailure extends Exception {

    private final boolean transientFailure;
    private final transient ConsumerRecord<byte[], byte[]> record;

    ApplyFailure(Throwable cause, boolean transientFailure, ConsumerRecord<byte[], byte[]> record) {
        super(cause.getMessage(), cause);
        this.transientFailure = transientFailure;
        this.record = record;
    }

    static ApplyFailure of(Throwable cause, ConsumerRecord<byte[], byte[]> record) {
        return new ApplyFailure(cause, FailureClassifier.isTransient(cause), record);
    }

    public boolean isTransient() {
        return transientFailure;
    }

    /** The record being applied when it failed, when known. */
    public ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** One line for logs and the DLQ headers: the cause's class and message. */
    public String describe() {
        Throwable c = getCause();
        String text = c.getClass().getName() + ": " + c.getMessage();
        Throwable root = c;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != c) {
            text += " (cause: " + root.getClass().getName() + ": " + root.getMessage() + ")";
        }
        return text.replaceAll("\\s+", " ").trim();
    }
}
