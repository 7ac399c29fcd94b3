package dev.cdc.processor.startup;

/** A startup check failed; the message is the one line printed before the process exits: what is wrong and the fix. */
public class StartupCheckException extends RuntimeException {

    public StartupCheckException(String message) {
        super(message);
    }

    public StartupCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
