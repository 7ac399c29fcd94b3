package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.contract.TopicNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes target tables (or a key range of one) equal to the source again while streaming goes on. */
@Command(name = "resync", mixinStandardHelpOptions = true,
        description = {"Copies the rows of the named source tables that differ to the target, and deletes target rows the source does not"
                + " have, while the pipeline streams: each chunk is written under the processor's watermark lock for the table's topic,"
                + " so no change is lost or undone (see docs/design.md, \"Resync\").",
                "A table without a primary key is copied whole, as of one binlog position, and the processor skips what the copy holds"
                + " (MariaDB source only).",
                "Exit code 0: done; the other codes as for offsets."})
final class ResyncCommand extends TableCommand {

    @Option(names = "--from", paramLabel = "KEY",
            description = "First primary-key value to resync (inclusive; composite keys: values separated by commas). One table only.")
    String from;

    @Option(names = "--to", paramLabel = "KEY", description = "Last primary-key value to resync (inclusive). One table only.")
    String to;

    @Override
    int execute() throws SQLException {
        if (tables.isEmpty()) {
            throw CliException.usage("No table named", "name the source tables to resync, e.g. 'cdc resync customers'");
        }
        if ((from != null || to != null) && tables.size() != 1) {
            throw CliException.usage("--from/--to given with " + tables.size() + " tables", "resync a key range of one table at a time");
        }
        TableSettings s = settings();
        String db = s.sourceDb();
        String format = s.tableNameFormat();
        int chunkSize = s.chunkSize();
        String prefix = s.topicPrefix();
        if (prefix == null) {
            throw CliException.usage("No topic prefix given (the processor's watermarks are kept per topic)",
                    "pass --topic-prefix (CDC_TOPIC_PREFIX, or the processor's application.yml with --config)");
        }
        Settings.SourceTarget sourceTarget = s.source(sourceOptions);
        TableSettings.TargetDb targetDb = s.target();
        try (Connection source = Databases.source(sourceTarget); Connection target = Databases.target(targetDb)) {
            List<TableShape> shapes = selectTables(source, db);
            String targetName = Databases.database(target);
            if (!ProcessorWatermarks.tableExists(target)) {
                throw CliException.usage("Target database " + targetName + " has no " + ProcessorWatermarks.TABLE + " table",
                        "check --target-url: it must be the processor's target database, and the processor must have started once");
            }
            // Every check before the first write: names, key ranges, target tables.
            List<List<String>> fromKeys = new ArrayList<>();
            List<List<String>> toKeys = new ArrayList<>();
            for (TableShape shape : shapes) {
                String targetTable = TableSettings.targetTable(format, db, shape.name());
                if (TableShape.read(target, targetName, targetTable) == null) {
                    throw CliException.usage("Target table " + targetName + "." + targetTable + " does not exist",
                            "check --table-name-format, or wait until the processor has created it");
                }
                if (!shape.hasKey() && (from != null || to != null)) {
                    throw CliException.usage("Table " + shape.name() + " has no primary key, so it has no key range", "resync it whole (without --from/--to)");
                }
                fromKeys.add(from == null ? null : Keys.parse(from, shape.key(), "--from"));
                toKeys.add(to == null ? null : Keys.parse(to, shape.key(), "--to"));
            }
            TableResync resync = new TableResync(source, target, chunkSize);
            List<TableResync.Result> results = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                TableShape shape = shapes.get(i);
                String targetTable = TableSettings.targetTable(format, db, shape.name());
                String topic = TopicNames.changeTopic(prefix, db, shape.name());
                results.add(shape.hasKey() ? resync.keyed(shape, targetName, targetTable, topic, fromKeys.get(i), toKeys.get(i))
                        : resync.keyless(shape, targetName, targetTable, topic));
            }
            print(db, targetName, results);
            return ExitCode.OK;
        }
    }

    private void print(String db, String targetDb, List<TableResync.Result> results) {
        if (options.json) {
            ObjectNode root = Json.object();
            root.put("source_db", db);
            root.put("target_db", targetDb);
            root.put("from", from);
            root.put("to", to);
            ArrayNode tables = root.putArray("tables");
            for (TableResync.Result r : results) {
                ObjectNode n = tables.addObject();
                n.put("table", r.table());
                n.put("target_table", r.targetTable());
                n.put("chunks", r.chunks());
                n.put("source_rows", r.sourceRows());
                n.put("rows_written", r.copied());
                n.put("rows_deleted", r.deleted());
                n.put("copied_at_binlog", r.position());
                n.put("millis", r.millis());
            }
            Json.print(out(), root);
            return;
        }
        out().println("resync " + db + " -> " + targetDb + (from != null || to != null
                ? " (keys " + (from == null ? "(start)" : from) + " .. " + (to == null ? "(end)" : to) + ")" : ""));
        Table t = new Table("TABLE", "TARGET", "SOURCE ROWS", "CHUNKS", "WRITTEN", "DELETED", "TIME", "NOTE").right(2, 3, 4, 5, 6);
        for (TableResync.Result r : results) {
            t.row(r.table(), r.targetTable(), r.sourceRows(), r.chunks(), r.copied(), r.deleted(), Text.duration(Duration.ofMillis(r.millis())),
                    r.position() == null ? "" : "no primary key: copied whole at binlog " + r.position());
        }
        t.print(out());
    }
}
