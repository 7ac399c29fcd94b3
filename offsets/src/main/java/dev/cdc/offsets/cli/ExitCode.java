package dev.cdc.offsets.cli;

import dev.cdc.contract.ExitStatus;

/**
 * The exit codes of {@code offsets}: the project's {@link ExitStatus} codes (README "Exit codes"), as constants for
 * picocli's integer results.
 */
public final class ExitCode {

    /** The command did what was asked (validate: the connector can resume). */
    public static final int OK = ExitStatus.OK.code();
    /** validate: the connector could not resume from its stored offset (the remedy is printed). */
    public static final int CANNOT_RESUME = ExitStatus.CHECK_FAILED.code();
    /** verify: the target differs from the source (the differences are listed). */
    public static final int DIFFERENCES = ExitStatus.CHECK_FAILED.code();
    /** Bad input or usage: unknown option or connector, malformed position, missing setting. Nothing was written. */
    public static final int USAGE = ExitStatus.CONFIGURATION.code();
    /** The shared store, the source or Kafka could not be reached (or refused the login). Nothing was written. */
    public static final int UNREACHABLE = ExitStatus.UNREACHABLE.code();
    /** set/reset refused: a live lease exists (an instance is leading). Nothing was written. */
    public static final int REFUSED = ExitStatus.REFUSED.code();
    /** An unexpected internal error (a bug): run again with --verbose and report the output. */
    public static final int INTERNAL = ExitStatus.INTERNAL.code();

    private ExitCode() {
    }
}
