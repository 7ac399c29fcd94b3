package dev.cdc.connector.snapshot;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One log line about the snapshot every interval while it runs, and one when it has completed — not one per table or
 * per batch. The scheduler and the sink are injected so that what is logged when can be tested on a manual clock.
 */
public final class SnapshotProgressLog implements AutoCloseable {

    private final SnapshotProgress progress;
    private final String connector;
    private final Consumer<String> sink;
    private SnapshotProgress.State lastState = SnapshotProgress.State.IDLE;
    private ScheduledFuture<?> task;

    public SnapshotProgressLog(SnapshotProgress progress, String connector, Consumer<String> sink) {
        this.progress = progress;
        this.connector = connector;
        this.sink = sink;
    }

    public synchronized void start(ScheduledExecutorService scheduler, Duration interval) {
        long millis = Math.max(1, interval.toMillis());
        task = scheduler.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Logs the line due now, if any: while running, every tick; once when the snapshot completed. */
    public synchronized void tick() {
        SnapshotProgress.View view = progress.view();
        boolean due = view.state() == SnapshotProgress.State.RUNNING
                || view.state() == SnapshotProgress.State.COMPLETED && lastState != SnapshotProgress.State.COMPLETED;
        lastState = view.state();
        if (due) {
            sink.accept(line(connector, view));
        }
    }

    /** E.g. {@code Snapshot of connector shop (incremental) running: 1/3 tables done, 120000/~5000000 rows (2.4 %); shop.orders 1200 rows/s ETA 1h08m}. */
    static String line(String connector, SnapshotProgress.View view) {
        StringBuilder b = new StringBuilder();
        b.append("Snapshot of connector ").append(connector).append(" (").append(view.kind()).append(") ")
                .append(view.state().name().toLowerCase(Locale.ROOT)).append(": ")
                .append(view.tablesDone()).append('/').append(view.tables().size()).append(" tables done, ")
                .append(view.rows()).append("/~").append(view.estimatedRows()).append(" rows");
        if (view.estimatedRows() > 0) {
            b.append(String.format(Locale.ROOT, " (%.1f %%)", view.state() == SnapshotProgress.State.COMPLETED ? 100.0
                    : Math.min(99.9, view.rows() * 100.0 / view.estimatedRows())));
        }
        for (SnapshotProgress.TableProgress t : view.tables()) {
            if (t.done() || t.rows() == 0) {
                continue;
            }
            b.append("; ").append(t.table()).append(' ').append(t.rows()).append(" rows ")
                    .append(String.format(Locale.ROOT, "%.1f %%", t.percent())).append(' ')
                    .append(Math.round(t.rowsPerSecond())).append(" rows/s ETA ").append(eta(t.etaSeconds()));
        }
        return b.toString();
    }

    static String eta(long seconds) {
        if (seconds < 0) {
            return "unknown";
        }
        Duration d = Duration.ofSeconds(seconds);
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
