package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.OffsetStoreReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Moves the connector's offset to a binlog position; the next leader resumes there. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Stores {\"file\":F,\"pos\":P,\"gtids\":G,\"ts_sec\":<now>} as the connector's offset (no event/row: the next leader"
                + " resumes at the start of the event at P). Pick P from SHOW BINLOG EVENTS or SHOW MASTER STATUS: the start of a"
                + " transaction (its GTID or BEGIN event). On MariaDB, G is the GTID position at P (BINLOG_GTID_POS), since the"
                + " connector resumes by GTID there.",
                "Refused (exit 4) while a live lease exists: stop the connector's instances first. The file must exist on the source and"
                + " an event must start at P. The change and its offset-log row (kind set) commit in one transaction; the lease epoch is"
                + " incremented so that no previous leader can overwrite it.",
                "Moving forward skips the changes in between (and any DDL in them: the schema history would not know it); moving back"
                + " re-sends changes, which the processor skips up to its watermark."})
final class SetCommand extends Subcommand {

    @Mixin
    Options.Source source = new Options.Source();

    @Option(names = "--file", required = true, paramLabel = "BINLOG_FILE", description = "Binlog file, e.g. binlog.000003 (must be on the source).")
    String file;

    @Option(names = "--pos", required = true, paramLabel = "POSITION", description = "Byte position of an event start in that file (4 = the first event).")
    long pos;

    @Option(names = "--gtid", paramLabel = "GTID_SET",
            description = "GTID set to store with the position (MariaDB 0-1-57, MySQL uuid:1-57); the connector resumes after it. MariaDB: derived"
                    + " from the position (BINLOG_GTID_POS) when left out, and must equal it when given. MySQL: default none (resume by file and"
                    + " position).")
    String gtid;

    @Option(names = "--dry-run", description = "Check everything and print the change; write nothing.")
    boolean dryRun;

    @Override
    int execute() {
        if (!Binlog.isFileName(file)) {
            throw CliException.usage("--file '" + file + "' is not a binlog file name", "use the name SHOW BINARY LOGS prints, e.g. binlog.000003");
        }
        if (pos < Binlog.FIRST_POSITION) {
            throw CliException.usage("--pos " + pos + " is not a binlog position", "use an event start from SHOW BINLOG EVENTS IN '" + file
                    + "' (the first event is at 4)");
        }
        if (gtid != null && !Binlog.isGtidSet(gtid.trim())) {
            throw CliException.usage("--gtid '" + gtid + "' is not a GTID set", "use MariaDB's domain-server-seq (0-1-57) or MySQL's uuid:1-57");
        }
        Settings.SourceTarget sourceTarget = settings().source(source);
        String owner = OffsetChange.owner(parent.env());
        try (StoreView store = openStore()) {
            String name = store.requireConnector(settings().connector(common));
            OffsetChange.refuseIfLive(name, store.lease(name).orElse(null));
            if (schemaHistory(store, name) == 0) {
                throw CliException.usage("Connector " + name + " has no schema history, so its engine could not decode events at " + file + ":" + pos,
                        "start the connector once so that it takes its initial snapshot (or run it with debezium.snapshot.mode=recovery), then set the offset");
            }
            String gtids;
            String identity;
            try (SourceServer server = SourceServer.connect(sourceTarget)) {
                gtids = checkOnSource(server);
                identity = server.identity(server.status().mariadb());
            }
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put("file", file);
            offset.put("pos", pos);
            if (gtids != null) {
                offset.put("gtids", gtids);
            }
            offset.put("ts_sec", Instant.now().getEpochSecond());
            OffsetChange.Result r = OffsetChange.set(store, name, Json.compact(offset), dryRun, owner, identity);
            print(r);
            return ExitCode.OK;
        }
    }

    /**
     * Checks the position on the source and returns the GTID set to store with it: on MariaDB the GTID position at
     * F:P (the MariaDB connector always resumes by GTID), on MySQL the --gtid given or none (resume by file and position).
     */
    private String checkOnSource(SourceServer server) {
        SourceServer.Status s = server.status();
        String where = "source " + server.target().address();
        if (!s.logBin()) {
            throw CliException.usage("Binary logging is off on " + where, "enable log_bin on the source first (see sql/conf/binlog.cnf)");
        }
        Long size = s.binaryLogs().get(file);
        if (size == null) {
            throw CliException.usage("Binlog file " + file + " is not on " + where + " (it has " + s.describeFiles() + ")", "pick a file listed by SHOW BINARY LOGS");
        }
        if (pos > size) {
            throw CliException.usage("--pos " + pos + " is beyond the end of " + file + " (" + size + " bytes)",
                    "use an event start from SHOW BINLOG EVENTS IN '" + file + "'");
        }
        if (server.eventAt(file, pos) == SourceServer.EventAt.NOT_AN_EVENT) {
            throw CliException.usage("No event starts at " + file + ":" + pos, "use an event start (Pos or End_log_pos) from SHOW BINLOG EVENTS IN '"
                    + file + "'");
        }
        if (gtid != null) {
            boolean mariaGtid = Binlog.MARIADB_GTIDS.matcher(gtid.trim()).matches();
            if (mariaGtid != s.mariadb()) {
                throw CliException.usage("--gtid '" + gtid + "' is a " + (mariaGtid ? "MariaDB" : "MySQL") + " GTID set but the source is "
                        + (s.mariadb() ? "MariaDB" : "MySQL"), s.mariadb() ? "use domain-server-seq, e.g. " + Text.orDash(s.gtidHead())
                        : "use uuid:interval, e.g. " + Text.orDash(s.gtidHead()));
            }
        }
        if (!s.mariadb()) {
            return gtid == null ? null : gtid.trim();
        }
        // The MariaDB connector always resumes by GTID: store the GTID position of F:P, so that it starts exactly there.
        String atPosition = server.mariaDbGtidAt(file, pos);
        if (atPosition == null) {
            throw CliException.usage("Source " + server.target().address() + " cannot map " + file + ":" + pos + " to a GTID position",
                    "pick the start of a transaction (a GTID event) from SHOW BINLOG EVENTS IN '" + file + "'");
        }
        if (gtid != null && !sameGtids(gtid, atPosition)) {
            throw CliException.usage("--gtid '" + gtid.trim() + "' is not the GTID position at " + file + ":" + pos + " ('" + atPosition + "')",
                    "leave --gtid out (it is derived from the position) or pass --gtid '" + atPosition + "'");
        }
        return atPosition;
    }

    private static boolean sameGtids(String a, String b) {
        return java.util.Set.of(a.replace(" ", "").split(",")).equals(java.util.Set.of(b.replace(" ", "").split(",")));
    }

    private static int schemaHistory(StoreView store, String name) {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cdc_schema_history WHERE connector_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw store.readFailure(e);
        }
    }

    private void print(OffsetChange.Result r) {
        String beforeJson = r.before().get(r.partitionKey());
        Map<String, Object> before = beforeJson == null ? null : OffsetStoreReader.parseOffset(r.connector(), beforeJson);
        Map<String, Object> after = OffsetStoreReader.parseOffset(r.connector(), r.after());
        if (common.json) {
            ObjectNode root = Json.object();
            root.put("connector", r.connector());
            root.put("action", r.action());
            root.put("dry_run", r.dryRun());
            root.put("partition_key", r.partitionKey());
            root.set("before", Json.tree(before));
            root.set("after", Json.tree(after));
            root.put("epoch", r.epoch());
            root.put("generation", r.generation());
            root.put("schema_history_deleted_from", r.previousServer());
            putFenced(root, r);
            root.put("owner", r.owner());
            Json.print(out(), root);
            return;
        }
        PrintWriter out = out();
        out.println("Connector " + r.connector() + ": " + (r.dryRun() ? "dry run, nothing written" : "offset set"));
        Table t = new Table("", "FILE", "POS", "EVENT", "ROW", "GTIDS", "TS_SEC").right(2, 3, 4, 6);
        t.row("before", before == null ? "none" : Offsets.file(before), Offsets.number(before, "pos"), Offsets.number(before, "event"),
                Offsets.number(before, "row"), Offsets.text(before, "gtids"), Offsets.number(before, "ts_sec"));
        t.row("after", Offsets.file(after), Offsets.number(after, "pos"), null, null, Offsets.text(after, "gtids"), Offsets.number(after, "ts_sec"));
        t.print(out);
        out.println(describeEpoch(r));
        if (r.previousServer() != null) {
            out.println("The schema history came from " + r.previousServer() + (r.dryRun() ? " and would be" : " and is")
                    + " deleted: the next leader rebuilds it from the tables of the new server before it streams.");
        }
        String where = file + ":" + pos + (Offsets.text(after, "gtids") == null ? "" : " (after GTIDs " + Offsets.text(after, "gtids") + ")");
        out.println(r.dryRun() ? "Run again without --dry-run to store it; the next leader would resume from " + where + "."
                : "The next leader resumes from " + where + ".");
    }

    static void putFenced(ObjectNode root, OffsetChange.Result r) {
        if (r.fenced() == null) {
            root.putNull("fenced");
        } else {
            ObjectNode f = root.putObject("fenced");
            f.put("owner", r.fenced().owner());
            f.put("epoch", r.fenced().epoch());
        }
    }

    static String describeEpoch(OffsetChange.Result r) {
        String verb = r.dryRun() ? "would be" : "is";
        String logged = " logged as kind " + r.action() + " by " + r.owner();
        String generation = " Lineage generation " + r.generation() + " " + (r.dryRun() ? "would start" : "starts")
                + ": the processor applies the events that follow even where their binlog coordinates repeat.";
        if (r.fenced() == null) {
            return "Epoch 0 (the connector never had a lease);" + logged + "." + generation;
        }
        return "Lease epoch " + r.fenced().epoch() + " of " + r.fenced().owner() + " " + verb + " fenced: new epoch " + r.epoch() + ";" + logged + "."
                + generation;
    }
}
