package dev.cdc.offsets.cli;

/**
 * A failure the operator can act on: printed as one line, {@code ERROR: <what> : <fix>}, on stderr, and turned into
 * the exit code. Thrown before anything is written (writes happen last, in one transaction).
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String what;
    private final String fix;

    public CliException(int exitCode, String what, String fix) {
        this(exitCode, what, fix, null);
    }

    public CliException(int exitCode, String what, String fix, Throwable cause) {
        super(what + " : " + fix, cause);
        this.exitCode = exitCode;
        this.what = what;
        this.fix = fix;
    }

    static CliException usage(String what, String fix) {
        return new CliException(ExitCode.USAGE, what, fix);
    }

    static CliException unreachable(String what, String fix, Throwable cause) {
        return new CliException(ExitCode.UNREACHABLE, what, fix, cause);
    }

    public int exitCode() {
        return exitCode;
    }

    public String what() {
        return what;
    }

    public String fix() {
        return fix;
    }

    /** The line printed on stderr. */
    public String line() {
        return "ERROR: " + Text.oneLine(what) + " : " + Text.oneLine(fix);
    }
}
