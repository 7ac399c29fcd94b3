package dev.cdc.offsets;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;

/**
 * The shared store cannot be used: unreachable, login refused, database missing or its schema cannot be migrated.
 * What is wrong names the store (URL without password); the fix names the setting to check.
 */
public class StoreUnavailableException extends OperatorFailure {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String what, String fix, Throwable cause) {
        super(ExitStatus.UNREACHABLE, what, fix, cause);
    }
}
