package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.OffsetLog;
import dev.cdc.offsets.OffsetLogEntry;
import dev.cdc.offsets.OffsetStoreReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The offset log, newest first, with failovers (a new epoch or a new instance) and manual changes marked. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"The connector's offset log, newest first: every committed offset with its lease epoch and instance, and every manual"
                + " set/reset. NOTE marks failovers (the epoch or the instance changed since the previous commit) and manual changes."})
final class HistoryCommand extends Subcommand {

    static final int MAX_LIMIT = 100_000;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many entries, newest first (default ${DEFAULT-VALUE}).")
    int limit;

    /** One log entry with what changed since the previous one. */
    record Row(OffsetLogEntry entry, Map<String, Object> offset, boolean failover, String note) {
    }

    @Override
    int execute() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw CliException.usage("--limit " + limit + " is out of range", "use a number from 1 to " + MAX_LIMIT);
        }
        try (StoreView store = openStore()) {
            String name = store.requireConnector(settings().connector(common));
            // One entry more than shown, so that the oldest shown entry can be compared with its predecessor.
            List<OffsetLogEntry> entries = new OffsetLog(store.dataSource()).recent(name, limit + 1);
            List<Row> rows = annotate(entries, limit);
            if (common.json) {
                ObjectNode root = Json.object();
                root.put("connector", name);
                root.put("limit", limit);
                ArrayNode list = root.putArray("entries");
                for (Row r : rows) {
                    ObjectNode n = list.addObject();
                    OffsetLogEntry e = r.entry();
                    n.put("id", e.id());
                    Json.put(n, "committed_at", e.committedAt());
                    n.put("kind", e.kind());
                    n.put("epoch", e.epoch());
                    n.put("owner", e.ownerId());
                    n.put("partition_key", e.partitionKey());
                    Offsets.putPosition(n, r.offset());
                    n.set("offset", Json.tree(r.offset()));
                    n.put("failover", r.failover());
                    n.put("note", r.note());
                }
                Json.print(out(), root);
                return ExitCode.OK;
            }
            if (rows.isEmpty()) {
                out().println("Connector " + name + ": the offset log is empty.");
                return ExitCode.OK;
            }
            Table t = new Table("ID", "COMMITTED AT", "KIND", "EPOCH", "OWNER", "FILE", "POS", "EVENT", "ROW", "GTIDS", "NOTE").right(0, 3, 6, 7, 8);
            for (Row r : rows) {
                OffsetLogEntry e = r.entry();
                Map<String, Object> o = r.offset();
                t.row(e.id(), Text.time(e.committedAt()), e.kind(), e.epoch(), e.ownerId(), Offsets.file(o), Offsets.number(o, "pos"),
                        Offsets.number(o, "event"), Offsets.number(o, "row"), Offsets.text(o, "gtids"), r.note());
            }
            t.print(out());
            return ExitCode.OK;
        }
    }

    /**
     * Marks each entry against the chronologically previous one: a commit under another epoch or instance than the
     * previous commit is a failover; set and reset are manual changes.
     *
     * @param newestFirst as read from the log, possibly one more than {@code limit}
     */
    static List<Row> annotate(List<OffsetLogEntry> newestFirst, int limit) {
        List<OffsetLogEntry> chronological = new ArrayList<>(newestFirst);
        Collections.reverse(chronological);
        List<Row> rows = new ArrayList<>();
        OffsetLogEntry previousCommit = null;
        for (OffsetLogEntry e : chronological) {
            Map<String, Object> offset = e.offsetValue() == null ? null : OffsetStoreReader.parseOffset(e.connectorName(), e.offsetValue());
            boolean failover = false;
            String note = null;
            if (OffsetLogEntry.COMMIT.equals(e.kind())) {
                if (previousCommit != null && (previousCommit.epoch() != e.epoch() || !Objects.equals(previousCommit.ownerId(), e.ownerId()))) {
                    failover = true;
                    note = "failover: epoch " + previousCommit.epoch() + " -> " + e.epoch()
                            + (Objects.equals(previousCommit.ownerId(), e.ownerId()) ? " (same instance " + e.ownerId() + ")"
                                    : ", " + previousCommit.ownerId() + " -> " + e.ownerId());
                }
                previousCommit = e;
            } else if (OffsetLogEntry.SET.equals(e.kind())) {
                note = "manual set by " + e.ownerId();
            } else if (OffsetLogEntry.RESET.equals(e.kind())) {
                note = "manual reset by " + e.ownerId() + ": next leader snapshots";
            }
            rows.add(new Row(e, offset, failover, note));
        }
        Collections.reverse(rows);
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }
}
