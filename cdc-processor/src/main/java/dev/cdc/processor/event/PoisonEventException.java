package dev.cdc.processor.event;

/** An event the processor can never apply as it is (unknown format version, malformed JSON, missing fields). */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
