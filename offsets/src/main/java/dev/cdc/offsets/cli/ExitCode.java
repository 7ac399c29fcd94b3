package dev.cdc.offsets.cli;

/** The exit codes of {@code offsets}, documented in docs/offsets-cli.md and in {@code offsets --help}. */
public final class ExitCode {

    /** The command did what was asked (validate: the connector can resume). */
    public static final int OK = 0;
    /** validate: the connector could not resume from its stored offset (the remedy is printed). */
    public static final int CANNOT_RESUME = 1;
    /** verify: the target differs from the source (the differences are listed). */
    public static final int DIFFERENCES = 1;
    /** Bad input or usage: unknown option or connector, malformed position, missing setting. Nothing was written. */
    public static final int USAGE = 2;
    /** The shared store, the source or Kafka could not be reached (or refused the login). Nothing was written. */
    public static final int UNREACHABLE = 3;
    /** set/reset refused: a live lease exists (an instance is leading). Nothing was written. */
    public static final int REFUSED = 4;
    /** An unexpected internal error (a bug): run again with --verbose and report the output. */
    public static final int INTERNAL = 5;

    private ExitCode() {
    }
}
