package dev.cdc.offsets.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What {@code verify} and {@code resync} share: settings, connections, the table selection and the one-line errors. */
abstract class TableCommand implements Callable<Integer> {

    @ParentCommand
    CdcCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    TableOptions options = new TableOptions();

    @Mixin
    Options.Source sourceOptions = new Options.Source();

    @Parameters(paramLabel = "TABLE", arity = "0..*", description = "Source tables (default: every table of the source database).")
    List<String> tables = new ArrayList<>();

    private TableSettings settings;

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return execute();
        } catch (CliException e) {
            return report(err, e.exitCode(), e.line(spec.name()), e);
        } catch (SQLException e) {
            return report(err, ExitCode.UNREACHABLE, CliException.unreachable("a database failed during the run (" + Text.rootCause(e) + ")",
                    "check that the source and target servers are up and run the command again", e).line(spec.name()), e);
        } catch (RuntimeException e) {
            return report(err, ExitCode.INTERNAL, CliException.unexpected(e).line(spec.name()), e);
        } finally {
            spec.commandLine().getOut().flush();
        }
    }

    private int report(PrintWriter err, int code, String line, Exception e) {
        err.println(line);
        if (options.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The command's work; throws {@link CliException} for anything the operator must fix. */
    abstract int execute() throws SQLException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    TableSettings settings() {
        if (settings == null) {
            settings = new TableSettings(parent.env(), options);
        }
        return settings;
    }

    /** The selected source tables, each checked to exist (an unknown name is refused before anything is done). */
    List<TableShape> selectTables(Connection source, String db) throws SQLException {
        List<String> names = tables.isEmpty() ? TableShape.tables(source, db) : tables;
        if (names.isEmpty()) {
            throw CliException.usage("Source database `" + db + "` has no tables (or the user may not see them)",
                    "check --source-db and the source user's grants");
        }
        List<TableShape> shapes = new ArrayList<>();
        for (String name : names) {
            TableShape shape = TableShape.read(source, db, name);
            if (shape == null) {
                throw CliException.usage("Source table " + db + "." + name + " does not exist", "name a table of " + db
                        + " (or pass --source-db), e.g. one of: " + String.join(", ", limit(TableShape.tables(source, db), 8)));
            }
            shapes.add(shape);
        }
        return shapes;
    }

    private static List<String> limit(List<String> names, int n) {
        return names.size() <= n ? names : names.subList(0, n);
    }
}
