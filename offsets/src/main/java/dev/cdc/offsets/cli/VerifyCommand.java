package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Compares source tables with their target tables while replication runs. Reads only. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares each source table with its target table by chunked checksums over primary-key ranges (row multisets for"
                + " tables without a primary key), then compares the rows of differing chunks by key.",
                "Changes in flight are settled: differing rows are read again on both sides (--rechecks, --recheck-pause); a row is"
                + " reported when it still differs and its source row did not change meanwhile.",
                "Exit code 0: every table equal; 1: differences (listed)."})
final class VerifyCommand extends TableCommand {

    @Option(names = "--rechecks", paramLabel = "N", defaultValue = "5",
            description = "How many times differing rows are read again before they are reported (default: ${DEFAULT-VALUE}).")
    int rechecks;

    @Option(names = "--recheck-pause", paramLabel = "DURATION", defaultValue = "1s",
            description = "Pause before each re-read, e.g. 500ms, 2s (default: ${DEFAULT-VALUE}); longer than the pipeline's lag.")
    String recheckPause;

    /** Rows listed per table in the text output (the JSON lists all that were followed). */
    private static final int LISTED = 20;

    @Override
    int execute() throws SQLException {
        Duration pause = Durations.parse(recheckPause, "--recheck-pause");
        if (rechecks < 0 || rechecks > 100) {
            throw CliException.usage("--rechecks " + rechecks + " is out of range", "use a value from 0 to 100");
        }
        TableSettings s = settings();
        String db = s.sourceDb();
        String format = s.tableNameFormat();
        int chunkSize = s.chunkSize();
        Settings.SourceTarget sourceTarget = s.source(sourceOptions);
        TableSettings.TargetDb targetDb = s.target();
        try (Connection source = Databases.source(sourceTarget); Connection target = Databases.target(targetDb)) {
            List<TableShape> shapes = selectTables(source, db);
            String targetName = Databases.database(target);
            TableVerifier verifier = new TableVerifier(source, target, chunkSize, rechecks, pause);
            List<TableVerifier.Result> results = new ArrayList<>();
            for (TableShape shape : shapes) {
                results.add(verifier.verify(shape, targetName, TableSettings.targetTable(format, db, shape.name())));
            }
            boolean equal = results.stream().allMatch(TableVerifier.Result::equal);
            if (options.json) {
                Json.print(out(), json(db, targetName, chunkSize, equal, results));
            } else {
                text(out(), db, targetName, chunkSize, pause, results);
            }
            return equal ? ExitCode.OK : ExitCode.DIFFERENCES;
        }
    }

    private void text(PrintWriter out, String db, String targetDb, int chunkSize, Duration pause, List<TableVerifier.Result> results) {
        out.println("verify " + db + " -> " + targetDb + " (chunks of " + chunkSize + " keys; differing rows re-read " + rechecks + "x, "
                + Text.duration(pause) + " apart)");
        Table t = new Table("TABLE", "TARGET", "KEY", "ROWS", "CHUNKS", "TIME", "RESULT").right(3, 4, 5);
        for (TableVerifier.Result r : results) {
            t.row(r.table(), r.targetTable(), r.key().isEmpty() ? "(none: multiset)" : String.join(",", r.key()), r.sourceRows(), r.chunks(),
                    Text.duration(Duration.ofMillis(r.millis())), summary(r));
        }
        t.print(out);
        for (TableVerifier.Result r : results) {
            if (r.equal()) {
                continue;
            }
            out.println();
            if (r.problem() != null) {
                out.println(r.table() + ": " + r.problem());
                continue;
            }
            for (TableVerifier.Chunk c : r.differingChunks()) {
                out.println(r.table() + ": " + (r.key().isEmpty() ? "whole table (no primary key)" : "chunk " + c.range().describe(r.key())) + ": " + c.sourceRows() + " source rows, " + c.targetRows()
                        + " target rows");
            }
            int listed = 0;
            for (TableVerifier.RowDifference d : r.differences()) {
                if (listed++ == LISTED) {
                    out.println("  ... " + (r.differences().size() - LISTED) + " more (--json lists them all)");
                    break;
                }
                String what = d.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                if (d.key() != null) {
                    out.println("  " + what + ": " + Keys.describe(r.key(), d.key()));
                } else {
                    out.println("  " + what + ": " + d.row() + " (" + d.sourceCount() + "x in source, " + d.targetCount() + "x in target)");
                }
            }
            if (r.truncated()) {
                out.println("  more than " + TableVerifier.MAX_CANDIDATES + " rows differ; only those were followed");
            }
        }
        long differing = results.stream().filter(r -> !r.equal()).count();
        out.println();
        out.println(differing == 0 ? "All " + results.size() + " table(s) equal." : differing + " of " + results.size() + " table(s) differ.");
    }

    private static String summary(TableVerifier.Result r) {
        String unsettled = r.unsettled() > 0 ? " (" + r.unsettled() + " row(s) still changing, not compared)" : "";
        if (r.problem() != null) {
            return "DIFFERS: " + r.problem();
        }
        if (r.differences().isEmpty()) {
            return "equal" + unsettled;
        }
        return "DIFFERS: " + r.differences().size() + (r.truncated() ? "+" : "") + " row(s) in " + r.differingChunks().size() + " chunk(s)" + unsettled;
    }

    private ObjectNode json(String db, String targetDb, int chunkSize, boolean equal, List<TableVerifier.Result> results) {
        ObjectNode root = Json.object();
        root.put("source_db", db);
        root.put("target_db", targetDb);
        root.put("chunk_size", chunkSize);
        root.put("rechecks", rechecks);
        root.put("equal", equal);
        ArrayNode tables = root.putArray("tables");
        for (TableVerifier.Result r : results) {
            ObjectNode n = tables.addObject();
            n.put("table", r.table());
            n.put("target_table", r.targetTable());
            ArrayNode key = n.putArray("key");
            r.key().forEach(key::add);
            n.put("source_rows", r.sourceRows());
            n.put("chunks", r.chunks());
            n.put("millis", r.millis());
            n.put("equal", r.equal());
            n.put("problem", r.problem());
            n.put("unsettled", r.unsettled());
            n.put("truncated", r.truncated());
            ArrayNode chunks = n.putArray("differing_chunks");
            for (TableVerifier.Chunk c : r.differingChunks()) {
                ObjectNode cn = chunks.addObject();
                cn.set("after", c.range().lower() == null ? null : Keys.json(r.key(), c.range().lower()));
                cn.set("through", c.range().upper() == null ? null : Keys.json(r.key(), c.range().upper()));
                cn.put("source_rows", c.sourceRows());
                cn.put("target_rows", c.targetRows());
            }
            ArrayNode rows = n.putArray("differences");
            for (TableVerifier.RowDifference d : r.differences()) {
                ObjectNode dn = rows.addObject();
                dn.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
                dn.set("key", d.key() == null ? null : Keys.json(r.key(), d.key()));
                if (d.row() != null) {
                    ArrayNode row = dn.putArray("row");
                    d.row().forEach(row::add);
                } else {
                    dn.putNull("row");
                }
                dn.put("source_count", d.sourceCount());
                dn.put("target_count", d.targetCount());
            }
        }
        return root;
    }
}
