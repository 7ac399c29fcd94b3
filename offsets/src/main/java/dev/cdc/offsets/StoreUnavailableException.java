package dev.cdc.offsets;

/**
 * The shared store cannot be used: unreachable, login refused, database missing or its schema cannot be migrated.
 * The message is one line that names the store (URL without password) and what to fix.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
