package dev.cdc.connector;

/** A startup check failed. The message is one line that says what is wrong and how to fix it. */
public class StartupCheckException extends RuntimeException {

    public StartupCheckException(String message) {
        super(message);
    }

    public StartupCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
