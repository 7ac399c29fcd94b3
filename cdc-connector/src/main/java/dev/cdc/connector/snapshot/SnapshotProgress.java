package dev.cdc.connector.snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Progress of the running term's snapshot, per table: rows committed to Kafka, the source's row estimate, percent,
 * rows/s and ETA. Fed with each batch's committed records; a snapshot read is a record with op {@code r}. A blocking
 * snapshot marks a table's last row ({@code last_in_data_collection}, {@code last}); an incremental snapshot keeps the
 * tables it still has to read in its offset ({@link IncrementalSnapshotOffset}). Thread-safe: the engine thread writes,
 * /health, the metrics and the log reader read. The clock is injected so that rates and ETAs can be tested.
 */
public final class SnapshotProgress {

    public enum State { IDLE, RUNNING, COMPLETED }

    /** One table's progress at one instant. {@code estimatedRows} is -1 when unknown; {@code etaSeconds} -1 when unknown. */
    public record TableProgress(String table, long rows, long estimatedRows, boolean done, double percent, double rowsPerSecond,
                                long etaSeconds) {
    }

    /** The whole snapshot at one instant. */
    public record View(State state, String kind, long rows, long estimatedRows, int tablesDone, List<TableProgress> tables) {
    }

    private final LongSupplier nanoClock;
    private TableStatistics statistics = TableStatistics.NONE;
    private final Map<String, TableState> tables = new LinkedHashMap<>();
    private State state = State.IDLE;
    private String kind = "none";
    private java.util.function.Consumer<String> newTableListener = table -> { };

    public SnapshotProgress(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A new term: forget the previous term's snapshot; row estimates come from {@code statistics}. */
    public synchronized void termStarted(TableStatistics statistics) {
        this.statistics = statistics;
        tables.clear();
        state = State.IDLE;
        kind = "none";
    }

    /** The records of one batch whose Kafka transaction committed, in order. */
    public void committed(List<SourceRecord> records) {
        Map<String, Long> read = null;
        List<String> done = null;
        boolean blockingEnded = false;
        boolean incremental = false;
        // The incremental snapshot's pending tables after this batch ("" = none), from the last record that has an offset.
        String pending = null;
        for (SourceRecord record : records) {
            Map<String, ?> offset = record.sourceOffset();
            if (offset != null && !offset.isEmpty()) {
                Object collections = offset.get(IncrementalSnapshotOffset.COLLECTIONS);
                pending = collections == null ? "" : collections.toString();
            }
            if (!(record.value() instanceof Struct value) || value.schema().field("op") == null || !"r".equals(value.getString("op"))) {
                continue;
            }
            Struct source = value.getStruct("source");
            String table = source.getString("db") + "." + source.getString("table");
            if (read == null) {
                read = new LinkedHashMap<>();
            }
            read.merge(table, 1L, Long::sum);
            Object flag = source.get("snapshot");
            String snapshot = flag == null ? "" : flag.toString();
            if (snapshot.equals("incremental")) {
                incremental = true;
            } else if (snapshot.equals("last_in_data_collection") || snapshot.equals("last")) {
                if (done == null) {
                    done = new ArrayList<>();
                }
                done.add(table);
                blockingEnded |= snapshot.equals("last");
            }
        }
        if (read == null && pending == null) {
            return;
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        if (read != null) {
            names.addAll(read.keySet());
        }
        if (pending != null) {
            names.addAll(IncrementalSnapshotOffset.tables(pending));
        }
        Map<String, Long> estimates = estimatesOfNew(names);
        List<String> added = apply(read, done, blockingEnded, incremental, pending, estimates);
        // Outside the lock: a listener registers meters, whose readers take the lock.
        added.forEach(newTableListener);
    }

    /** The source's estimates of the tables not yet known, read without holding the lock (a query per table). */
    private Map<String, Long> estimatesOfNew(java.util.Set<String> names) {
        TableStatistics stats;
        List<String> unknown = new ArrayList<>();
        synchronized (this) {
            stats = statistics;
            for (String name : names) {
                if (!tables.containsKey(name)) {
                    unknown.add(name);
                }
            }
        }
        Map<String, Long> out = new java.util.HashMap<>();
        for (String name : unknown) {
            int dot = name.indexOf('.');
            out.put(name, stats.estimatedRows(name.substring(0, dot), name.substring(dot + 1)));
        }
        return out;
    }

    private synchronized List<String> apply(Map<String, Long> read, List<String> done, boolean blockingEnded, boolean incremental,
                                            String pending, Map<String, Long> estimates) {
        long now = nanoClock.getAsLong();
        List<String> added = new ArrayList<>();
        java.util.function.Function<String, TableState> tableState = table -> tables.computeIfAbsent(table, t -> {
            added.add(t);
            return new TableState(t, estimates.getOrDefault(t, -1L), now);
        });
        if (read != null) {
            if (state != State.RUNNING) {
                state = State.RUNNING;
                kind = incremental ? "incremental" : "blocking";
            }
            read.forEach((table, rows) -> tableState.apply(table).add(rows, now));
        }
        if (done != null) {
            done.forEach(table -> tableState.apply(table).finish(now));
        }
        if (blockingEnded) {
            finishAll(now);
        }
        if (pending != null && state == State.RUNNING && kind.equals("incremental")) {
            List<String> pendingTables = IncrementalSnapshotOffset.tables(pending);
            pendingTables.forEach(table -> tableState.apply(table));
            for (TableState t : tables.values()) {
                if (!t.done && !pendingTables.contains(t.name)) {
                    t.finish(now);
                }
            }
            if (pendingTables.isEmpty()) {
                finishAll(now);
            }
        }
        return added;
    }

    /** The snapshot ended without further rows (e.g. every table was empty). */
    public synchronized void snapshotEnded() {
        if (state == State.RUNNING) {
            finishAll(nanoClock.getAsLong());
        }
    }

    private void finishAll(long now) {
        tables.values().forEach(t -> t.finish(now));
        state = State.COMPLETED;
    }

    /** Called, outside the lock, with each table name a term reports for the first time in that term (e.g. to register its meters). */
    public synchronized void onNewTable(java.util.function.Consumer<String> listener) {
        this.newTableListener = listener;
    }

    /** One table's progress now, or null when this term has not seen it. */
    public synchronized TableProgress table(String table) {
        TableState t = tables.get(table);
        return t == null ? null : t.progress(nanoClock.getAsLong());
    }

    public synchronized State state() {
        return state;
    }

    public synchronized View view() {
        long now = nanoClock.getAsLong();
        List<TableProgress> out = new ArrayList<>(tables.size());
        long rows = 0;
        long estimated = 0;
        int tablesDone = 0;
        for (TableState t : tables.values()) {
            TableProgress p = t.progress(now);
            out.add(p);
            rows += p.rows();
            estimated += p.done() ? p.rows() : Math.max(p.estimatedRows(), p.rows());
            tablesDone += p.done() ? 1 : 0;
        }
        return new View(state, kind, rows, estimated, tablesDone, out);
    }

    /** One table's counters; guarded by the enclosing instance. */
    private static final class TableState {
        final String name;
        final long estimated;
        long rows;
        long firstRowAt = -1;
        long lastRowAt;
        boolean done;

        TableState(String name, long estimated, long now) {
            this.name = name;
            this.estimated = estimated;
        }

        void add(long n, long now) {
            if (firstRowAt < 0) {
                firstRowAt = now;
            }
            rows += n;
            lastRowAt = now;
        }

        void finish(long now) {
            done = true;
            if (firstRowAt < 0) {
                firstRowAt = now;
                lastRowAt = now;
            }
        }

        TableProgress progress(long now) {
            long elapsed = (done ? lastRowAt : now) - firstRowAt;
            double rate = firstRowAt < 0 || elapsed <= 0 ? 0 : rows * 1e9 / elapsed;
            double percent;
            long eta;
            if (done) {
                percent = 100;
                eta = 0;
            } else if (estimated > 0) {
                // The estimate is approximate: never claim completion before the last row.
                percent = Math.min(99.9, rows * 100.0 / estimated);
                eta = rate > 0 ? (long) Math.ceil(Math.max(0, estimated - rows) / rate) : -1;
            } else {
                percent = 0;
                eta = -1;
            }
            return new TableProgress(name, rows, estimated, done, Math.round(percent * 10) / 10.0, Math.round(rate * 10) / 10.0, eta);
        }
    }
}
