package dev.cdc.offsets.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the common options, the environment, stdout, and the one-line error handling. */
abstract class Subcommand implements Callable<Integer> {

    @ParentCommand
    OffsetsCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    Options.Common common = new Options.Common();

    private Settings settings;

    @Override
    public final Integer call() {
        return OffsetsCommand.run(this, spec.commandLine().getErr());
    }

    /** The command's work; throws {@link CliException} for anything the operator must fix. */
    abstract int execute();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    Settings settings() {
        if (settings == null) {
            settings = new Settings(parent.env(), common.config);
        }
        return settings;
    }

    StoreView openStore() {
        return StoreView.open(settings().store(common));
    }
}
