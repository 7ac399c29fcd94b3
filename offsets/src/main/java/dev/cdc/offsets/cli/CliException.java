package dev.cdc.offsets.cli;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;

/**
 * A failure the operator can act on, printed as the project's one line ({@code offsets: <what>. Fix: <fix>.}) on
 * stderr and turned into the exit code. Thrown before anything is written (writes happen last, in one transaction).
 */
public final class CliException extends OperatorFailure {

    private static final long serialVersionUID = 1L;

    /** The program name the line starts with. */
    static final String PROGRAM = "offsets";

    private final int exitCode;

    public CliException(int exitCode, String what, String fix) {
        this(exitCode, what, fix, null);
    }

    public CliException(int exitCode, String what, String fix, Throwable cause) {
        super(status(exitCode), what, fix, cause);
        this.exitCode = exitCode;
    }

    public static CliException usage(String what, String fix) {
        return new CliException(ExitCode.USAGE, what, fix);
    }

    public static CliException unreachable(String what, String fix, Throwable cause) {
        return new CliException(ExitCode.UNREACHABLE, what, fix, cause);
    }

    /** A failure nobody foresaw (a bug): its class and root cause, and how to report it. */
    static CliException unexpected(Throwable e) {
        return new CliException(ExitCode.INTERNAL, "unexpected " + e.getClass().getSimpleName() + " (" + Text.rootCause(e) + ")",
                "run again with --verbose and report the output");
    }

    /** Bad usage picocli found (unknown option, missing command...), pointing at the command's help. */
    static CliException badUsage(picocli.CommandLine.ParameterException ex) {
        return usage(ex.getMessage(), "see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
    }

    public int exitCode() {
        return exitCode;
    }

    /** The line printed on stderr. */
    public String line() {
        return line(PROGRAM);
    }

    private static ExitStatus status(int code) {
        for (ExitStatus s : ExitStatus.values()) {
            if (s.code() == code) {
                return s;
            }
        }
        return ExitStatus.INTERNAL;
    }
}
