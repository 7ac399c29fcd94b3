package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The subcommands of {@link DeadLettersCommand}. */
final class DeadLetterCommands {

    static final int MAX_LIMIT = 100_000;
    static final int ERROR_WIDTH = 90;

    private DeadLetterCommands() {
    }

    /** What every subcommand shares: the target database options, stdout, the one-line error handling. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        DeadLettersCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        TargetDatabase.Options target = new TargetDatabase.Options();

        @Override
        public final Integer call() {
            return DeadLettersCommand.run(this);
        }

        abstract int execute() throws SQLException;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        Connection connect() {
            return TargetDatabase.of(target, parent.env()).connect();
        }

        /** {@code db.table}, known to the processor; else a one-line usage error. */
        static String knownTable(DeadLetterRecords records, String table) throws SQLException {
            if (!table.matches("[^.\\s]+\\.[^.\\s]+")) {
                throw CliException.usage("Table '" + table + "' is not <db>.<table>", "name the source table as in its topic, e.g. shop.customers");
            }
            Set<String> known = records.knownTables();
            for (String k : known) {
                if (k.equalsIgnoreCase(table)) {
                    return k;
                }
            }
            throw CliException.usage("Unknown table " + table + ": the processor has applied no change of it",
                    known.isEmpty() ? "check the name (the processor has applied nothing yet)" : "use one of " + String.join(", ", known));
        }

        /** Writes the request and waits for the processor's result; withdraws it when the processor does not take it in time. */
        DeadLetterRecords.Request await(DeadLetterRecords records, long id, int waitSeconds) throws SQLException {
            long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
            boolean started = false;
            while (true) {
                DeadLetterRecords.Request r = records.requestState(id);
                if (r != null && r.done() != null) {
                    return r;
                }
                started |= r != null && r.started() != null;
                if (System.nanoTime() > deadline) {
                    if (!started && records.withdraw(id)) {
                        throw new CliException(ExitCode.UNREACHABLE, "The processor did not take request #" + id + " within " + waitSeconds
                                + " s; it was withdrawn, nothing changed", "start the processor on this target database (it executes requests while it runs), or raise --wait");
                    }
                    if (!started) {
                        continue;
                    }
                    throw new CliException(ExitCode.UNREACHABLE, "Request #" + id + " is still being executed after " + waitSeconds + " s",
                            "see the processor's log; run the command again later to see what is left");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException(ExitCode.INTERNAL, "Interrupted while waiting for request #" + id, "run the command again", e);
                }
            }
        }

        static String requester() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
            return "dead-letters@" + host;
        }

        int printResult(String what, DeadLetterRecords.Request r) {
            boolean ok = Boolean.TRUE.equals(r.ok());
            if (target.json) {
                ObjectNode n = Json.object();
                n.put("request", r.id());
                n.put("action", r.action());
                n.put("scope", what);
                n.put("ok", ok);
                n.put("result", r.result());
                Json.put(n, "done_at", r.done());
                Json.print(out(), n);
            } else {
                out().println("Request #" + r.id() + " (" + r.action() + " " + what + "): " + r.result());
            }
            return ok ? ExitCode.OK : ExitCode.CANNOT_RESUME;
        }

        int printNothing(String action, String scope, String why) {
            if (target.json) {
                ObjectNode n = Json.object();
                n.putNull("request");
                n.put("action", action);
                n.put("scope", scope);
                n.put("ok", true);
                n.put("result", why);
                Json.print(out(), n);
            } else {
                out().println("Nothing to " + action + " (" + scope + "): " + why);
            }
            return ExitCode.OK;
        }
    }

    /** Which dead letters: one, a table's, or all. */
    static class Scope {
        @Option(names = "--id", paramLabel = "ID", description = "One dead letter (its ID in 'list').")
        Long id;

        @Option(names = "--table", paramLabel = "DB.TABLE", description = "Every dead letter of one source table.")
        String table;

        @Option(names = "--all", description = "Every dead letter.")
        boolean all;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Dead letters waiting for replay (with --all also the replayed ones): table, Kafka record, source position, error, time.")
    static final class ListCommand extends Base {
        @Option(names = "--table", paramLabel = "DB.TABLE", description = "Only this source table.")
        String table;

        @Option(names = "--all", description = "Also the replayed ones.")
        boolean all;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100", description = "At most N (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int execute() throws SQLException {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw CliException.usage("--limit " + limit + " is out of range", "use a number from 1 to " + MAX_LIMIT);
            }
            try (Connection c = connect()) {
                DeadLetterRecords records = new DeadLetterRecords(c);
                String t = table == null ? null : knownTable(records, table);
                List<DeadLetterRecords.DeadLetter> letters = records.list(t, all, limit);
                if (target.json) {
                    ObjectNode root = Json.object();
                    ArrayNode list = root.putArray("dead_letters");
                    letters.forEach(d -> summary(list.addObject(), d));
                    Json.print(out(), root);
                    return ExitCode.OK;
                }
                if (letters.isEmpty()) {
                    out().println(all ? "No dead letters" + (t == null ? "." : " of " + t + ".")
                            : "No dead letters waiting for replay" + (t == null ? "." : " of " + t + "."));
                    return ExitCode.OK;
                }
                Table out = new Table("ID", "TABLE", "KAFKA RECORD", "POSITION", "STATUS", "DEAD-LETTERED AT", "ERROR").right(0);
                for (DeadLetterRecords.DeadLetter d : letters) {
                    out.row(d.id(), d.table(), d.kafka(), d.position(), d.status(), Text.time(d.deadLetteredAt()), shorten(d.error()));
                }
                out.print(out());
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter in full: where it comes from, its error, its key and value.")
    static final class ShowCommand extends Base {
        @Parameters(paramLabel = "ID", description = "The dead letter's ID (see 'list').")
        long id;

        @Override
        int execute() throws SQLException {
            try (Connection c = connect()) {
                DeadLetterRecords.DeadLetter d = new DeadLetterRecords(c).find(id);
                if (d == null) {
                    throw CliException.usage("No dead letter #" + id, "'dead-letters list --all' shows the IDs");
                }
                if (target.json) {
                    ObjectNode n = Json.object();
                    summary(n, d);
                    n.set("key", Json.parse(text(d.key())));
                    n.set("value", Json.parse(text(d.value())));
                    Json.print(out(), n);
                    return ExitCode.OK;
                }
                Table t = new Table();
                t.row("id", d.id());
                t.row("table", d.table());
                t.row("kafka record", d.kafka());
                t.row("position", d.position());
                t.row("status", d.status() + (d.resolvedAt() == null ? "" : " at " + Text.time(d.resolvedAt()) + " (request #" + d.resolvedBy() + ")"));
                t.row("dead-lettered", Text.time(d.deadLetteredAt()) + (d.attempts() > 0 ? " after " + d.attempts() + " attempts" : ""));
                if (d.waitsFor() != null) {
                    t.row("waits for", "#" + d.waitsFor() + " (same key; replayed after it)");
                }
                t.row("error", d.error());
                t.row("key", text(d.key()));
                t.print(out());
                out().println("value");
                out().println(pretty(text(d.value())));
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "stopped", mixinStandardHelpOptions = true,
            description = "Partitions stopped at a record the target refuses (error policy stop): table, Kafka record, source position, error.")
    static final class StoppedCommand extends Base {
        @Option(names = "--table", paramLabel = "DB.TABLE", description = "Only this source table.")
        String table;

        @Override
        int execute() throws SQLException {
            try (Connection c = connect()) {
                DeadLetterRecords records = new DeadLetterRecords(c);
                String t = table == null ? null : knownTable(records, table);
                List<DeadLetterRecords.Stop> stops = records.stopped(t);
                if (target.json) {
                    ObjectNode root = Json.object();
                    ArrayNode list = root.putArray("stopped");
                    for (DeadLetterRecords.Stop s : stops) {
                        ObjectNode n = list.addObject();
                        n.put("table", s.table());
                        n.put("topic", s.topic());
                        n.put("partition", s.partition());
                        n.put("offset", s.offset());
                        n.put("position", s.position());
                        n.put("attempts", s.attempts());
                        n.put("error", s.error());
                        Json.put(n, "stopped_at", s.since());
                    }
                    Json.print(out(), root);
                    return ExitCode.OK;
                }
                if (stops.isEmpty()) {
                    out().println("No partition is stopped" + (t == null ? "." : " for " + t + "."));
                    return ExitCode.OK;
                }
                Table out = new Table("TABLE", "KAFKA RECORD", "POSITION", "ATTEMPTS", "STOPPED AT", "ERROR").right(3);
                for (DeadLetterRecords.Stop s : stops) {
                    out.row(s.table(), s.kafka(), s.position(), s.attempts(), Text.time(s.since()), shorten(s.error()));
                }
                out.print(out());
                return ExitCode.OK;
            }
        }
    }

    /** replay and purge: a scope, written as a request for the processor. */
    abstract static class ScopedRequest extends Base {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Scope scope;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the processor to take and execute the request (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        abstract String action();

        /** How many dead letters the request would change, for the "nothing to do" answer. */
        abstract int affected(DeadLetterRecords records, String table) throws SQLException;

        @Override
        int execute() throws SQLException {
            if (waitSeconds < 1) {
                throw CliException.usage("--wait " + waitSeconds + " is out of range", "use 1 or more seconds");
            }
            try (Connection c = connect()) {
                DeadLetterRecords records = new DeadLetterRecords(c);
                String table = null;
                String what;
                if (scope.id != null) {
                    DeadLetterRecords.DeadLetter d = records.find(scope.id);
                    if (d == null) {
                        throw CliException.usage("No dead letter #" + scope.id, "'dead-letters list --all' shows the IDs");
                    }
                    what = "#" + scope.id;
                    if (action().equals("replay") && !"pending".equals(d.status())) {
                        return printNothing(action(), what, "it was " + d.status() + " at " + Text.time(d.resolvedAt()) + " (request #" + d.resolvedBy() + ")");
                    }
                } else if (scope.table != null) {
                    table = knownTable(records, scope.table);
                    what = table;
                    if (affected(records, table) == 0) {
                        return printNothing(action(), what, action().equals("replay") ? "no dead letter is waiting for replay" : "no dead letters");
                    }
                } else {
                    what = "all tables";
                    if (affected(records, null) == 0) {
                        return printNothing(action(), what, action().equals("replay") ? "no dead letter is waiting for replay" : "no dead letters");
                    }
                }
                long id = records.request(action(), scope.id, table, null, requester());
                return printResult(what, await(records, id, waitSeconds));
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Applies dead letters again, once their cause is fixed: in source order, each exactly once (marked replayed in the"
                    + " transaction that applies it; a second replay finds nothing to do). A record that fails again stays pending, and so do the"
                    + " later ones of its key. The processor executes it; this command waits for the result."})
    static final class ReplayCommand extends ScopedRequest {
        @Override
        String action() {
            return "replay";
        }

        @Override
        int affected(DeadLetterRecords records, String table) throws SQLException {
            return records.countPending(table);
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = {"Deletes dead letters (pending or replayed). A pending one is given up: its table no longer counts as diverged"
                    + " (resync the table if the target must have its change). The processor executes it; this command waits for the result."})
    static final class PurgeCommand extends ScopedRequest {
        @Override
        String action() {
            return "purge";
        }

        @Override
        int affected(DeadLetterRecords records, String table) throws SQLException {
            return records.count(table);
        }
    }

    /** skip and dead-letter: the record a stopped partition of a table waits at. */
    abstract static class StopRequest extends Base {
        @Option(names = "--table", paramLabel = "DB.TABLE", required = true, description = "The source table whose partition is stopped.")
        String table;

        @Option(names = "--partition", paramLabel = "N", description = "The partition, when several of the table's partitions are stopped.")
        Integer partition;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the processor to execute the request (default ${DEFAULT-VALUE}; it acts at the record's next retry).")
        int waitSeconds;

        abstract String action();

        @Override
        int execute() throws SQLException {
            if (waitSeconds < 1) {
                throw CliException.usage("--wait " + waitSeconds + " is out of range", "use 1 or more seconds");
            }
            try (Connection c = connect()) {
                DeadLetterRecords records = new DeadLetterRecords(c);
                String t = knownTable(records, table);
                List<DeadLetterRecords.Stop> stops = records.stopped(t).stream()
                        .filter(s -> partition == null || s.partition() == partition).toList();
                if (stops.isEmpty()) {
                    throw CliException.usage("No partition of " + t + (partition == null ? "" : " numbered " + partition) + " is stopped",
                            "'dead-letters stopped' lists the stopped partitions");
                }
                if (stops.size() > 1) {
                    throw CliException.usage(stops.size() + " partitions of " + t + " are stopped", "choose one with --partition ("
                            + String.join(", ", stops.stream().map(s -> Integer.toString(s.partition())).toList()) + ")");
                }
                DeadLetterRecords.Stop stop = stops.get(0);
                long id = records.request(action(), null, t, stop, requester());
                return printResult(t + " record " + stop.kafka() + " at " + stop.position(), await(records, id, waitSeconds));
            }
        }
    }

    @Command(name = "skip", mixinStandardHelpOptions = true,
            description = {"Passes over the record a stopped partition waits at, without applying it, and lets the partition go on. The target"
                    + " then lacks that change: resync the table if it matters."})
    static final class SkipCommand extends StopRequest {
        @Override
        String action() {
            return "skip";
        }
    }

    @Command(name = "dead-letter", mixinStandardHelpOptions = true,
            description = {"Dead-letters the record a stopped partition waits at (dead-letter topic and table) and lets the partition go on;"
                    + " the table counts as diverged until the dead letter is replayed or purged."})
    static final class DeadLetterCommand extends StopRequest {
        @Override
        String action() {
            return "dead-letter";
        }
    }

    static void summary(ObjectNode n, DeadLetterRecords.DeadLetter d) {
        n.put("id", d.id());
        n.put("table", d.table());
        n.put("topic", d.topic());
        n.put("partition", d.partition());
        n.put("offset", d.offset());
        n.put("position", d.position());
        n.put("status", d.status());
        n.put("attempts", d.attempts());
        Json.putNumber(n, "waits_for", d.waitsFor());
        n.put("error", d.error());
        Json.put(n, "dead_lettered_at", d.deadLetteredAt());
        Json.put(n, "resolved_at", d.resolvedAt());
        Json.putNumber(n, "resolved_by_request", d.resolvedBy());
    }

    static String shorten(String error) {
        if (error == null) {
            return null;
        }
        String one = Text.oneLine(error);
        return one.length() <= ERROR_WIDTH ? one : one.substring(0, ERROR_WIDTH - 3) + "...";
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static String pretty(String json) {
        if (json == null) {
            return "null";
        }
        try {
            return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
        } catch (Exception e) {
            return json;
        }
    }
}
