package dev.cdc.connector.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SnapshotProgressTest {

    private static final Schema SOURCE = SchemaBuilder.struct().field("db", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("source", SOURCE).build();

    private final AtomicLong clock = new AtomicLong();
    private final SnapshotProgress progress = new SnapshotProgress(clock::get);

    @Test
    void blockingSnapshotRateEtaAndCompletion() {
        progress.termStarted((db, table) -> table.equals("big") ? 1000 : -1);
        assertEquals(SnapshotProgress.State.IDLE, progress.view().state());

        progress.committed(rows("big", 100, "first"));
        clock.addAndGet(1_000_000_000L);
        progress.committed(rows("big", 100, "true"));
        SnapshotProgress.TableProgress big = progress.table("shop.big");
        assertEquals(200, big.rows());
        assertEquals(1000, big.estimatedRows());
        assertEquals(20.0, big.percent());
        assertEquals(200.0, big.rowsPerSecond(), "200 rows in the second since the table's first row");
        assertEquals(4, big.etaSeconds(), "800 rows left at 200 rows/s");
        assertEquals(SnapshotProgress.State.RUNNING, progress.view().state());
        assertEquals("blocking", progress.view().kind());

        // The estimate is short: the percent stays below 100 until the table's last row.
        progress.committed(rows("big", 900, "true"));
        assertEquals(99.9, progress.table("shop.big").percent());
        progress.committed(rows("big", 1, "last_in_data_collection"));
        assertTrue(progress.table("shop.big").done());
        assertEquals(100.0, progress.table("shop.big").percent());

        progress.committed(rows("small", 3, "last"));
        SnapshotProgress.View view = progress.view();
        assertEquals(SnapshotProgress.State.COMPLETED, view.state());
        assertEquals(2, view.tablesDone());
        assertEquals(-1, progress.table("shop.small").estimatedRows(), "no statistics");
        assertEquals(1104, view.rows());
    }

    @Test
    void incrementalSnapshotFollowsTheTablesPendingInTheOffset() {
        progress.termStarted((db, table) -> 10);
        List<SourceRecord> batch = new ArrayList<>(rows("a", 5, "incremental", pending("shop.a", "shop.b")));
        progress.committed(batch);
        SnapshotProgress.View view = progress.view();
        assertEquals("incremental", view.kind());
        assertEquals(2, view.tables().size(), "a pending table shows before its first row");
        assertFalse(progress.table("shop.a").done());

        progress.committed(rows("b", 5, "incremental", pending("shop.b")));
        assertTrue(progress.table("shop.a").done(), "a left the pending list");
        assertFalse(progress.table("shop.b").done());

        // A streamed record without the incremental state: the snapshot has finished.
        progress.committed(List.of(streamed()));
        assertEquals(SnapshotProgress.State.COMPLETED, progress.view().state());
        assertTrue(progress.table("shop.b").done());
    }

    @Test
    void aNewTermStartsAfresh() {
        progress.termStarted((db, table) -> 10);
        progress.committed(rows("a", 5, "true"));
        progress.termStarted((db, table) -> 10);
        assertEquals(SnapshotProgress.State.IDLE, progress.view().state());
        assertNull(progress.table("shop.a"));
    }

    @Test
    void logsOneLinePerTickWhileRunningAndOneWhenCompleted() {
        List<String> lines = new ArrayList<>();
        SnapshotProgressLog log = new SnapshotProgressLog(progress, "shop", lines::add);
        progress.termStarted((db, table) -> 1000);
        log.tick();
        assertEquals(0, lines.size(), "nothing while no snapshot runs");

        progress.committed(rows("big", 100, "first"));
        clock.addAndGet(2_000_000_000L);
        progress.committed(rows("big", 100, "true"));
        progress.committed(rows("other", 10, "true"));
        log.tick();
        assertEquals(1, lines.size(), "one line for all tables and batches");
        assertEquals("Snapshot of connector shop (blocking) running: 0/2 tables done, 210/~2000 rows (10.5 %); "
                + "shop.big 200 rows 20.0 % 100 rows/s ETA 0m08s; shop.other 10 rows 1.0 % 0 rows/s ETA unknown", lines.get(0));

        progress.committed(rows("other", 1, "last"));
        log.tick();
        log.tick();
        assertEquals(2, lines.size(), "the completion once");
        assertTrue(lines.get(1).startsWith("Snapshot of connector shop (blocking) completed: 2/2 tables done, 211/~211 rows (100.0 %)"),
                lines.get(1));
    }

    @Test
    void etaFormats() {
        assertEquals("unknown", SnapshotProgressLog.eta(-1));
        assertEquals("0m59s", SnapshotProgressLog.eta(59));
        assertEquals("1h08m", SnapshotProgressLog.eta(4100));
    }

    private static Map<String, Object> pending(String... tables) {
        StringBuilder json = new StringBuilder("[");
        for (String t : tables) {
            json.append(json.length() > 1 ? "," : "").append("{\"incremental_snapshot_collections_id\":\"").append(t)
                    .append("\",\"incremental_snapshot_collections_additional_condition\":null}");
        }
        return Map.of("file", "binlog.000001", "pos", 4L, IncrementalSnapshotOffset.COLLECTIONS, json.append(']').toString());
    }

    private static List<SourceRecord> rows(String table, int n, String snapshotFlag) {
        return rows(table, n, snapshotFlag, Map.of("file", "binlog.000001", "pos", 4L, "snapshot", true));
    }

    private static List<SourceRecord> rows(String table, int n, String snapshotFlag, Map<String, ?> offset) {
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Only the last row of a batch carries the batch's flag ("last", "last_in_data_collection").
            String flag = i == n - 1 || snapshotFlag.equals("incremental") ? snapshotFlag : "true";
            Struct source = new Struct(SOURCE).put("db", "shop").put("table", table).put("snapshot", flag);
            out.add(new SourceRecord(Map.of("server", "it"), offset, "it.shop." + table, null, ENVELOPE,
                    new Struct(ENVELOPE).put("op", "r").put("source", source)));
        }
        return out;
    }

    private static SourceRecord streamed() {
        Struct source = new Struct(SOURCE).put("db", "shop").put("table", "b").put("snapshot", "false");
        return new SourceRecord(Map.of("server", "it"), Map.of("file", "binlog.000001", "pos", 900L), "it.shop.b", null, ENVELOPE,
                new Struct(ENVELOPE).put("op", "c").put("source", source));
    }
}
