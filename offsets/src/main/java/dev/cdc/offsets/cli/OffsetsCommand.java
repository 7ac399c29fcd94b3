package dev.cdc.offsets.cli;

import dev.cdc.offsets.StoreUnavailableException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code offsets}: the operator's view of the shared store. Where is each connector in the binlog, who leads, how far
 * behind is it, can it resume, and a safe way to move its offset. Run it with {@code bin/offsets} or
 * {@code java -jar offsets/target/offsets-cli.jar}; see docs/offsets-cli.md.
 *
 * <p>Every failure is one line on stderr, {@code offsets: <what>. Fix: <fix>.}, with the exit codes of {@link ExitCode}. Writes
 * ({@code set}, {@code reset}) happen last, in one transaction, after every check has passed.
 */
@Command(name = "offsets", mixinStandardHelpOptions = true, version = "offsets (cdc) 0.1.0",
        description = "Inspect and move the offsets of CDC connectors in the shared store.",
        subcommands = {ShowCommand.class, LagCommand.class, HistoryCommand.class, ValidateCommand.class, SetCommand.class, ResetCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nSettings come from flags, then environment variables (CDC_STORE_URL, CDC_STORE_USER, CDC_STORE_PASSWORD,"
                + " CDC_SOURCE_URL, CDC_SOURCE_USER, CDC_SOURCE_PASSWORD, CDC_NAME, KAFKA_BOOTSTRAP_SERVERS), then the connector's"
                + " application.yml given with --config. Passwords are never printed.%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok (validate: the connector can resume)",
            "1:validate: the connector cannot resume from its stored offset (the remedy is printed)",
            "2:bad input or usage (unknown connector, malformed position, missing setting); nothing written",
            "3:shared store, source or Kafka unreachable (or login refused); nothing written",
            "4:refused: a live lease exists (stop the connector's instances first); nothing written",
            "5:unexpected internal error (run again with --verbose and report it)"})
public final class OffsetsCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    /** Reads the process environment. */
    public OffsetsCommand() {
        this(System.getenv());
    }

    /** With the given environment instead of the process's (tests pass an empty map and flags only). */
    public OffsetsCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of show, lag, history, validate, set, reset");
    }

    /** The command line with one-line error handling, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new OffsetsCommand(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            where.getErr().println(CliException.badUsage(ex).line());
            where.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, where, parseResult) -> report(ex, where.getErr(), false));
        return cl;
    }

    /** Runs a subcommand body, turning every failure into one line on stderr and an exit code. */
    static int run(Subcommand command, PrintWriter err) {
        try {
            return command.execute();
        } catch (RuntimeException e) {
            return report(e, err, command.common.verbose);
        } finally {
            command.spec.commandLine().getOut().flush();
        }
    }

    private static int report(Exception e, PrintWriter err, boolean verbose) {
        int code;
        String line;
        if (e instanceof CliException cli) {
            code = cli.exitCode();
            line = cli.line();
        } else if (e instanceof StoreUnavailableException store) {
            CliException cli = StoreView.unreachable(store);
            code = cli.exitCode();
            line = cli.line();
        } else {
            code = ExitCode.INTERNAL;
            line = CliException.unexpected(e).line();
        }
        err.println(line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        // slf4j-simple (the CLI's binding): silent unless --verbose, and never on stdout, which carries the tables and JSON.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = commandLine(System.getenv(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
