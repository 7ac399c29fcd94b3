package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.StoredOffset;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Command;

/** Where each connector is in the binlog and who leads it. Reads the store only. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Per connector: the stored binlog file, position, event and row, GTID set and server id, the event time of the stored"
                + " position (its ts_sec), the lease holder, epoch and expiry (or \"no leader\"), and the last commit time.",
                "Without --connector (or CDC_NAME / cdc.name) every connector in the store is shown.",
                "Lease expiry is judged by the store's clock (NOW(3))."})
final class ShowCommand extends Subcommand {

    @Override
    int execute() {
        try (StoreView store = openStore()) {
            String named = settings().connector(common);
            List<String> names;
            if (named != null) {
                names = List.of(store.requireConnector(named));
            } else {
                names = store.connectors();
            }
            Instant now = store.now();
            ArrayNode json = Json.array();
            PrintWriter out = out();
            if (names.isEmpty() && !common.json) {
                out.println("The store has no connectors yet.");
            }
            boolean first = true;
            for (String name : names) {
                Optional<StoreView.LeaseView> lease = store.lease(name);
                List<StoredOffset> offsets = Offsets.read(store, name);
                if (common.json) {
                    json.add(toJson(name, lease, offsets));
                } else {
                    if (!first) {
                        out.println();
                    }
                    table(name, lease, offsets, now).print(out);
                }
                first = false;
            }
            if (common.json) {
                ObjectNode root = Json.object();
                Json.put(root, "store_time", now);
                root.set("connectors", json);
                Json.print(out, root);
            }
            return ExitCode.OK;
        }
    }

    private static Table table(String name, Optional<StoreView.LeaseView> lease, List<StoredOffset> offsets, Instant now) {
        Table t = new Table();
        t.row("connector", name);
        t.row("leader", lease.map(StoreView.LeaseView::describe).orElse("no leader (never leased)"));
        Instant lastCommit = lastCommit(offsets);
        if (lastCommit != null) {
            StoredOffset newest = offsets.stream().max(Comparator.comparing(StoredOffset::committedAt)).orElseThrow();
            t.row("last commit", Text.time(lastCommit) + " (epoch " + newest.epoch() + ", " + Text.relative(lastCommit, now) + ")");
        } else {
            t.row("last commit", "none");
        }
        if (offsets.isEmpty()) {
            t.row("offset", "none stored: the next leader takes an initial snapshot");
        }
        for (StoredOffset o : offsets) {
            Map<String, Object> v = o.offset();
            if (offsets.size() > 1 || !o.partitionKey().equals(Offsets.partitionKey(name))) {
                t.row("partition", o.partitionKey());
            }
            t.row("binlog file", Offsets.file(v));
            t.row("position", Offsets.number(v, "pos"));
            t.row("event, row", Text.orDash(Offsets.number(v, "event")) + ", " + Text.orDash(Offsets.number(v, "row")));
            t.row("gtid set", Offsets.text(v, "gtids"));
            t.row("server id", Offsets.number(v, "server_id"));
            Instant eventTime = Offsets.eventTime(v);
            t.row("event time", eventTime == null ? null : Text.time(eventTime) + " (" + Text.relative(eventTime, now) + ")");
            if (Offsets.snapshot(v)) {
                t.row("snapshot", "in progress: a new leader repeats the snapshot");
            }
        }
        return t;
    }

    private static ObjectNode toJson(String name, Optional<StoreView.LeaseView> lease, List<StoredOffset> offsets) {
        ObjectNode c = Json.object();
        c.put("connector", name);
        if (lease.isPresent()) {
            StoreView.LeaseView l = lease.get();
            ObjectNode n = c.putObject("lease");
            n.put("owner", l.owner());
            n.put("epoch", l.epoch());
            n.put("live", l.live());
            Json.put(n, "expires_at", l.expiresAt());
            n.put("expires_in_ms", l.expiresInMs());
            Json.put(n, "acquired_at", l.acquiredAt());
            Json.put(n, "renewed_at", l.renewedAt());
        } else {
            c.putNull("lease");
        }
        c.put("leader", lease.filter(StoreView.LeaseView::live).map(StoreView.LeaseView::owner).orElse(null));
        Json.put(c, "last_commit", lastCommit(offsets));
        ArrayNode list = c.putArray("offsets");
        for (StoredOffset o : offsets) {
            ObjectNode n = list.addObject();
            n.put("partition_key", o.partitionKey());
            n.set("partition", Json.tree(o.partition()));
            Offsets.putPosition(n, o.offset());
            n.put("epoch", o.epoch());
            Json.put(n, "committed_at", o.committedAt());
            n.set("offset", Json.tree(o.offset()));
        }
        return c;
    }

    private static Instant lastCommit(List<StoredOffset> offsets) {
        return offsets.stream().map(StoredOffset::committedAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }
}
