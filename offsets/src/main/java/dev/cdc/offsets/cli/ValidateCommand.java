package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.StoredOffset;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Whether the connector can resume from its stored offset on this source, and the remedy when it cannot. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks that the source's binlog settings are right (log_bin ON, binlog_format ROW, binlog_row_image FULL) and that"
                + " the stored position still exists on the source: its file is listed by SHOW BINARY LOGS, the position is inside it and"
                + " starts an event, and (MySQL) no GTID the connector still needs is in @@gtid_purged; (MariaDB) the offset has a GTID set"
                + " (the MariaDB connector resumes by GTID) that is not ahead of @@gtid_binlog_state.",
                "Exit code 1 when the connector could not resume, with the remedy on the last line and on stderr."})
final class ValidateCommand extends Subcommand {

    enum Result { OK, INFO, WARN, FAIL }

    record Check(String name, Result result, String detail, String remedy) {
    }

    @Mixin
    Options.Source source = new Options.Source();

    @Override
    int execute() {
        Settings.SourceTarget sourceTarget = settings().source(source);
        String name;
        List<StoredOffset> offsets;
        Optional<StoreView.LeaseView> lease;
        try (StoreView store = openStore()) {
            name = store.requireConnector(settings().connector(common));
            offsets = Offsets.read(store, name);
            lease = store.lease(name);
        }
        Map<String, Object> stored = LagCommand.primary(name, offsets);
        List<Check> checks;
        try (SourceServer server = SourceServer.connect(sourceTarget)) {
            checks = checks(name, stored, server);
        }
        checks.add(new Check("lease", Result.INFO, lease.map(StoreView.LeaseView::describe).orElse("no leader (never leased)"), null));
        Check failed = checks.stream().filter(c -> c.result() == Result.FAIL).findFirst().orElse(null);
        String position = Offsets.position(stored);
        if (common.json) {
            ObjectNode root = Json.object();
            root.put("connector", name);
            root.put("resumable", failed == null);
            root.put("position", position);
            ArrayNode list = root.putArray("checks");
            for (Check c : checks) {
                ObjectNode n = list.addObject();
                n.put("check", c.name());
                n.put("result", c.result().name().toLowerCase(java.util.Locale.ROOT));
                n.put("detail", c.detail());
                n.put("remedy", c.remedy());
            }
            root.put("remedy", failed == null ? null : failed.remedy());
            Json.print(out(), root);
        } else {
            PrintWriter out = out();
            Table t = new Table("CHECK", "RESULT", "DETAIL");
            for (Check c : checks) {
                t.row(c.name(), c.result().name().toLowerCase(java.util.Locale.ROOT), c.detail());
            }
            t.print(out);
            out.println();
            if (failed == null) {
                out.println(stored == null ? "Connector " + name + " can start: the next leader takes an initial snapshot."
                        : "Connector " + name + " can resume from " + position + ".");
            } else {
                out.println("Connector " + name + " cannot resume: " + failed.detail() + ".");
                out.println("Remedy: " + failed.remedy());
            }
        }
        if (failed != null) {
            out().flush();
            throw new CliException(ExitCode.CANNOT_RESUME, "Connector " + name + " cannot resume: " + failed.detail(), failed.remedy());
        }
        return ExitCode.OK;
    }

    static List<Check> checks(String name, Map<String, Object> stored, SourceServer server) {
        SourceServer.Status s = server.status();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("source", Result.INFO, server.target().address() + ", " + s.version() + ", server_id " + s.serverId(), null));
        String where = "the source " + server.target().address();
        checks.add(s.logBin() ? new Check("log_bin", Result.OK, "ON", null)
                : new Check("log_bin", Result.FAIL, "binary logging is off on " + where,
                        "start the source with log_bin enabled (log-bin=binlog, see sql/conf/binlog.cnf); changes made while it was off are"
                                + " not in any binlog: run 'offsets reset --connector " + name + "' afterwards"));
        checks.add("ROW".equalsIgnoreCase(s.binlogFormat()) ? new Check("binlog_format", Result.OK, s.binlogFormat(), null)
                : new Check("binlog_format", Result.FAIL, "binlog_format is " + s.binlogFormat() + " on " + where,
                        "SET GLOBAL binlog_format='ROW' and set binlog_format=ROW in the server config (see sql/conf/binlog.cnf)"));
        checks.add("FULL".equalsIgnoreCase(s.rowImage()) ? new Check("binlog_row_image", Result.OK, s.rowImage(), null)
                : new Check("binlog_row_image", Result.FAIL, "binlog_row_image is " + s.rowImage() + " on " + where,
                        "SET GLOBAL binlog_row_image='FULL' and set binlog_row_image=FULL in the server config (see sql/conf/binlog.cnf)"));
        if (stored == null) {
            checks.add(new Check("stored offset", Result.OK, "none: the next leader takes an initial snapshot", null));
            return checks;
        }
        String file = Offsets.file(stored);
        Long pos = Offsets.number(stored, "pos");
        if (file == null || pos == null || !Binlog.isFileName(file)) {
            checks.add(new Check("stored offset", Result.FAIL, "the stored offset has no valid binlog file and position: " + Json.compact(stored),
                    "run 'offsets reset --connector " + name + "' (new snapshot) or 'offsets set --connector " + name + " --file F --pos P'"));
            return checks;
        }
        checks.add(new Check("stored offset", Result.INFO, file + ":" + pos + " event " + Text.orDash(Offsets.number(stored, "event")) + " row "
                + Text.orDash(Offsets.number(stored, "row")) + (Offsets.snapshot(stored) ? " (snapshot in progress)" : ""), null));
        if (!s.logBin()) {
            return checks;
        }
        String oldest = s.oldestFile();
        String reset = "run 'offsets reset --connector " + name + "' (the next leader takes a new snapshot)";
        String skip = oldest == null ? "" : ", or 'offsets set --connector " + name + " --file " + oldest + " --pos 4' accepting that the changes"
                + " in between are lost";
        if (!s.binaryLogs().containsKey(file)) {
            String base = file.substring(0, file.lastIndexOf('.'));
            boolean sameBase = oldest != null && oldest.startsWith(base + ".");
            if (sameBase && Binlog.sequence(file) < Binlog.sequence(oldest)) {
                checks.add(new Check("binlog file", Result.FAIL, file + " was purged from " + where + " (oldest binlog is " + oldest + ")",
                        reset + skip));
            } else if (sameBase && s.headFile() != null && Binlog.sequence(file) > Binlog.sequence(s.headFile())) {
                checks.add(new Check("binlog file", Result.FAIL, file + " is after the newest binlog " + s.headFile() + " of " + where
                        + ": the source was reset or replaced", reset + ", or 'offsets set' to a position on this source"));
            } else {
                checks.add(new Check("binlog file", Result.FAIL, file + " is not on " + where + " (it has " + s.describeFiles() + ")",
                        reset + skip));
            }
            return checks;
        }
        checks.add(new Check("binlog file", Result.OK, file + " is on the source (" + s.describeFiles() + ")", null));
        long size = s.binaryLogs().get(file);
        if (pos < Binlog.FIRST_POSITION || pos > size) {
            checks.add(new Check("position", Result.FAIL, "position " + pos + " is outside " + file + " (" + size + " bytes)",
                    reset + ", or 'offsets set' to an event start shown by SHOW BINLOG EVENTS"));
            return checks;
        }
        if (server.eventAt(file, pos) == SourceServer.EventAt.NOT_AN_EVENT) {
            checks.add(new Check("position", Result.FAIL, "no event starts at " + file + ":" + pos,
                    "'offsets set --connector " + name + " --file " + file + " --pos P' with P an event start from SHOW BINLOG EVENTS IN '" + file
                            + "', or " + reset.substring(4)));
            return checks;
        }
        checks.add(new Check("position", Result.OK, pos + " starts an event (" + file + " has " + size + " bytes)", null));
        checks.add(gtidCheck(name, stored, s, server, reset));
        Long offsetServer = Offsets.number(stored, "server_id");
        if (offsetServer != null && offsetServer != s.serverId()) {
            checks.add(new Check("server id", Result.WARN, "the stored position was written by server_id " + offsetServer + ", the source is "
                    + s.serverId() + ": check that this is the same server (or its promoted replica)", null));
        }
        return checks;
    }

    private static Check gtidCheck(String name, Map<String, Object> stored, SourceServer.Status s, SourceServer server, String reset) {
        String gtids = Offsets.text(stored, "gtids");
        if (gtids == null && s.mariadb()) {
            String file = Offsets.file(stored);
            return new Check("gtids", Result.FAIL, "the stored offset has no GTID set, but the MariaDB connector resumes by GTID",
                    "'offsets set --connector " + name + " --file " + file + " --pos " + Offsets.number(stored, "pos")
                            + "' stores the same position with its GTID position");
        }
        if (gtids == null) {
            return new Check("gtids", Result.INFO, "none stored: the connector resumes by file and position", null);
        }
        if (!s.mariadb()) {
            if (s.gtidHead() == null) {
                return new Check("gtids", Result.WARN, "the offset has GTIDs " + gtids + " but gtid_mode is not ON on the source", null);
            }
            if (!server.purgedSubsetOf(gtids)) {
                return new Check("gtids", Result.FAIL, "the source purged GTIDs the connector has not read (@@gtid_purged "
                        + s.gtidPurged() + " is not within the stored " + gtids + ")", reset);
            }
            return new Check("gtids", Result.OK, "@@gtid_purged " + Text.orDash(s.gtidPurged()) + " is within the stored set", null);
        }
        // MariaDB: a stored GTID beyond the server's last GTID of the same domain and server means the source is not the one read.
        Map<String, Long> state = new HashMap<>();
        String binlogState = server.mariaDbGtidState();
        if (binlogState != null) {
            for (String g : binlogState.split(",")) {
                String[] p = g.trim().split("-");
                if (p.length == 3) {
                    state.merge(p[0] + "-" + p[1], Long.parseLong(p[2]), Math::max);
                }
            }
        }
        for (String g : gtids.split(",")) {
            String[] p = g.trim().split("-");
            if (p.length != 3) {
                continue;
            }
            Long last = state.get(p[0] + "-" + p[1]);
            if (last != null && Long.parseLong(p[2]) > last) {
                return new Check("gtids", Result.FAIL, "stored GTID " + g.trim() + " is ahead of the source's last " + p[0] + "-" + p[1] + "-" + last
                        + ": the source was reset or replaced", reset);
            }
        }
        return new Check("gtids", Result.OK, "stored " + gtids + ", source at " + Text.orDash(s.gtidHead()), null);
    }
}
