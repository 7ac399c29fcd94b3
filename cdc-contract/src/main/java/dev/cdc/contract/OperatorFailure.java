package dev.cdc.contract;

/**
 * A failure an operator can fix, in the one form every program of the project prints it: a single line
 * {@code <program>: <what is wrong>. Fix: <what to do>.} on stderr, and the process ends with {@link #status()}'s code.
 */
public class OperatorFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitStatus status;
    private final String what;
    private final String fix;

    public OperatorFailure(ExitStatus status, String what, String fix) {
        this(status, what, fix, null);
    }

    public OperatorFailure(ExitStatus status, String what, String fix, Throwable cause) {
        super(sentence(what) + " Fix: " + sentence(fix), cause);
        this.status = status;
        this.what = what;
        this.fix = fix;
    }

    public static OperatorFailure configuration(String what, String fix) {
        return new OperatorFailure(ExitStatus.CONFIGURATION, what, fix);
    }

    public static OperatorFailure unreachable(String what, String fix, Throwable cause) {
        return new OperatorFailure(ExitStatus.UNREACHABLE, what, fix, cause);
    }

    /** The first {@code OperatorFailure} in {@code failure}'s cause chain, or null. */
    public static OperatorFailure in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OperatorFailure f) {
                return f;
            }
        }
        return null;
    }

    public ExitStatus status() {
        return status;
    }

    public String what() {
        return what;
    }

    public String fix() {
        return fix;
    }

    /** The line printed on stderr by {@code program}. */
    public String line(String program) {
        return program + ": " + getMessage();
    }

    /** {@code text} on one line, ending with exactly one period. */
    static String sentence(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        if (line.length() > 1000) {
            line = line.substring(0, 1000) + "...";
        }
        while (line.endsWith(".") && !line.endsWith("...")) {
            line = line.substring(0, line.length() - 1);
        }
        return line + (line.endsWith("...") ? "" : ".");
    }
}
