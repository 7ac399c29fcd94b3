package dev.cdc.offsets.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dead-letters}: what the processor passed over or stopped at, and its repair. It reads the processor's target
 * database; what changes the target (replay, purge, skip, dead-letter) is written there as a request that the running
 * processor executes and marks done in its apply transaction, and the command waits for the result (docs/design.md,
 * "Stop, dead-letter, replay").
 *
 * <p>Errors are one line on stderr, {@code dead-letters: <what>. Fix: <fix>.}, with the exit codes of {@link ExitCode}, as
 * {@code offsets}: 0 ok, 1 the processor executed the request but not all of it succeeded (a replayed record failed
 * again), 2 bad input (unknown table, dead letter or stopped partition; nothing written), 3 the target database is
 * unreachable, or the processor did not take the request within {@code --wait} (it is withdrawn: nothing changed),
 * 5 internal error.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, version = "dead-letters (cdc) 0.1.0",
        description = "List, show, replay and purge the records the processor dead-lettered; skip or dead-letter the record a stopped partition waits at.",
        subcommands = {DeadLetterCommands.ListCommand.class, DeadLetterCommands.ShowCommand.class, DeadLetterCommands.StoppedCommand.class,
                DeadLetterCommands.ReplayCommand.class, DeadLetterCommands.PurgeCommand.class, DeadLetterCommands.SkipCommand.class,
                DeadLetterCommands.DeadLetterCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nThe target database comes from flags, then environment variables (CDC_TARGET_URL, CDC_TARGET_USER, CDC_TARGET_PASSWORD,"
                + " then the processor's DATASOURCES_DEFAULT_URL, _USERNAME, _PASSWORD), then the processor's application.yml given with --config."
                + " Passwords are never printed.%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the processor executed the request, but not all of it succeeded (a replayed record failed again; it stays pending)",
            "2:bad input (unknown table, dead letter or stopped partition, bad option); nothing written",
            "3:target database unreachable, or the processor did not take the request within --wait (withdrawn; nothing changed)",
            "5:unexpected internal error (run again with --verbose and report it)"})
public final class DeadLettersCommand implements Callable<Integer> {

    /** The program name failure lines start with. */
    static final String PROGRAM = "dead-letters";

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    public DeadLettersCommand() {
        this(System.getenv());
    }

    /** With the given environment instead of the process's (tests pass an empty map and flags only). */
    public DeadLettersCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of list, show, stopped, replay, purge, skip, dead-letter");
    }

    /** The command line with one-line error handling, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new DeadLettersCommand(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            where.getErr().println(CliException.badUsage(ex).line(PROGRAM));
            where.getErr().flush();
            return ExitCode.USAGE;
        });
        return cl;
    }

    /** Runs a subcommand body, turning every failure into one line on stderr and an exit code. */
    static int run(DeadLetterCommands.Base command) {
        PrintWriter err = command.spec.commandLine().getErr();
        try {
            return command.execute();
        } catch (CliException e) {
            err.println(e.line(PROGRAM));
            if (command.target.verbose) {
                e.printStackTrace(err);
            }
            return e.exitCode();
        } catch (Exception e) {
            err.println(CliException.unexpected(e).line(PROGRAM));
            if (command.target.verbose) {
                e.printStackTrace(err);
            }
            return ExitCode.INTERNAL;
        } finally {
            command.spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true);
        int code = commandLine(System.getenv(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
