package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.OffsetStoreReader;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Forgets the connector's offsets and schema history: the next leader takes a fresh initial snapshot. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Deletes the connector's stored offsets (cdc_offset) and schema history (cdc_schema_history), so that the next leader"
                + " takes a fresh initial snapshot (all rows re-sent as op r; the processor applies them as idempotent upserts).",
                "Refused (exit 4) while a live lease exists: stop the connector's instances first. The change and its offset-log row (kind"
                + " reset) commit in one transaction; the lease epoch is incremented so that no previous leader can write over it."})
final class ResetCommand extends Subcommand {

    @Option(names = "--dry-run", description = "Check everything and print what would be deleted; write nothing.")
    boolean dryRun;

    @Override
    int execute() {
        String owner = OffsetChange.owner(parent.env());
        try (StoreView store = openStore()) {
            String name = store.requireConnector(settings().connector(common));
            OffsetChange.refuseIfLive(name, store.lease(name).orElse(null));
            OffsetChange.Result r = OffsetChange.reset(store, name, dryRun, owner);
            if (common.json) {
                ObjectNode root = Json.object();
                root.put("connector", r.connector());
                root.put("action", r.action());
                root.put("dry_run", r.dryRun());
                ArrayNode deleted = root.putArray("deleted_offsets");
                for (Map.Entry<String, String> e : r.before().entrySet()) {
                    ObjectNode n = deleted.addObject();
                    n.put("partition_key", e.getKey());
                    n.set("offset", Json.parse(e.getValue()));
                }
                root.put("schema_history_deleted", r.schemaHistoryRecords());
                root.put("epoch", r.epoch());
                root.put("generation", r.generation());
                SetCommand.putFenced(root, r);
                root.put("owner", r.owner());
                Json.print(out(), root);
                return ExitCode.OK;
            }
            PrintWriter out = out();
            out.println("Connector " + name + ": " + (r.dryRun() ? "dry run, nothing written" : "offsets and schema history deleted"));
            Table t = new Table();
            if (r.before().isEmpty()) {
                t.row(r.dryRun() ? "offsets to delete" : "offsets deleted", "none stored");
            }
            for (Map.Entry<String, String> e : r.before().entrySet()) {
                Map<String, Object> o = OffsetStoreReader.parseOffset(name, e.getValue());
                t.row(r.dryRun() ? "offset to delete" : "offset deleted", Offsets.position(o) + " (" + e.getKey() + ")");
            }
            t.row(r.dryRun() ? "schema history to delete" : "schema history deleted", r.schemaHistoryRecords() + " records");
            t.print(out);
            out.println(SetCommand.describeEpoch(r));
            out.println(r.dryRun() ? "Run again without --dry-run to reset; the next leader would take a new initial snapshot."
                    : "The next leader takes a new initial snapshot.");
            return ExitCode.OK;
        }
    }
}
