package dev.cdc.offsets.cli;

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
 * {@code cdc}: the operator command. {@code offsets} (the shared store's offsets, unchanged from {@code bin/offsets}),
 * {@code verify} (is the target equal to the source?), {@code resync} (make a table of the target equal again while
 * streaming goes on) and {@code dead-letters} (what the processor passed over or stopped at, and its repair). Run it with {@code bin/cdc}; see the README's "Operator commands".
 */
@Command(name = "cdc", mixinStandardHelpOptions = true, version = "cdc 0.1.0",
        description = "Operate a CDC pipeline: offsets of the connector, verify and resync of the target, dead letters.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok (verify: every table is equal)",
            "1:verify: differences found (listed); offsets validate: the connector cannot resume",
            "2:bad input or usage (unknown table, malformed URL or key, missing setting); nothing written",
            "3:a database or Kafka unreachable (or login refused); nothing written",
            "4:refused (offsets: a live lease exists); nothing written",
            "5:unexpected internal error (run again with --verbose and report it)"})
public final class CdcCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    public CdcCommand() {
        this(System.getenv());
    }

    /** With the given environment instead of the process's (tests pass their own). */
    public CdcCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of offsets, verify, resync, dead-letters");
    }

    /** The command line with the same one-line error handling as {@code offsets}, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new CdcCommand(env));
        cl.addSubcommand("offsets", OffsetsCommand.commandLine(env, out, err));
        cl.addSubcommand("verify", new VerifyCommand());
        cl.addSubcommand("resync", new ResyncCommand());
        cl.addSubcommand("dead-letters", DeadLettersCommand.commandLine(env, out, err));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            where.getErr().println(CliException.badUsage(ex).line(where.getCommandSpec().name()));
            where.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, where, parseResult) -> {
            where.getErr().println(CliException.unexpected(ex).line(where.getCommandSpec().name()));
            return ExitCode.INTERNAL;
        });
        return cl;
    }

    public static void main(String[] args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        // slf4j-simple: silent unless --verbose, and never on stdout, which carries the reports and JSON.
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
