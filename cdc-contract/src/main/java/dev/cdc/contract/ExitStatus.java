package dev.cdc.contract;

/**
 * The exit codes of every program of the project: the connector and the processor when they cannot start, and the
 * operator commands. A script, a container health check or a supervisor can tell from the code alone whether
 * retrying can help (3) or a person must act (1, 2, 4). The README lists them under "Exit codes".
 */
public enum ExitStatus {
    /** Done as asked. */
    OK(0),
    /** A check answered no: the stored offset cannot be resumed from (connector, {@code offsets validate}). */
    CHECK_FAILED(1),
    /** Bad configuration or usage: a missing or malformed setting, an unknown name. Nothing was written. */
    CONFIGURATION(2),
    /** A server could not be reached or refused the login (database, Kafka). Nothing was written; retrying may help. */
    UNREACHABLE(3),
    /** Refused because of the current state (e.g. a live lease); nothing was written. */
    REFUSED(4),
    /** An unexpected error (a bug): the message and a stack trace with --verbose or in the log. */
    INTERNAL(5);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
