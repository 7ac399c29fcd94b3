package dev.cdc.connector.publish;

/** Kafka refused this instance's transactional producer because a newer leader initialised the same transactional.id. */
public class KafkaFencedException extends RuntimeException {

    public KafkaFencedException(String message) {
        super(message);
    }

    public KafkaFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
