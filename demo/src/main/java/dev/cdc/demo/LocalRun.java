package dev.cdc.demo;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.MariaDbBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one-command local run: a source database (MySQL where it can be had, else MariaDB; {@link SourceChoice}),
 * MariaDB as target + store, an in-JVM Kafka broker, two
 * connector instances and the processor as separate processes, on the demo schema from sql/. It shows the
 * snapshot arriving, a change propagating, a workload, and a failover (kill -9 of the active connector),
 * checks that the target equals the source after each step, prints a summary, and stops (or, with
 * {@code --keep-running}, stays up until Ctrl-C).
 */
public final class LocalRun {

    static final List<String> TABLES = List.of("customers", "products", "orders", "order_lines");
    private static final String NAME = "demo";

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        boolean keepRunning = List.of(args).contains("--keep-running") || Boolean.getBoolean("demo.keep-running");
        Path work = Path.of(System.getProperty("demo.work-dir", "target/local-run")).toAbsolutePath();
        MariaDbBinaries.deleteTree(work);
        Files.createDirectories(work);
        SourceChoice choice = SourceChoice.fromSystemProperty();
        say("Source: %s (%s)", choice.kind().displayName(), choice.why());
        say("Starting %s (source), MariaDB (target+store) and Kafka under %s", choice.kind().displayName(), work);
        try (LocalStack stack = LocalStack.start(work, choice.kind(), DatabaseKind.MARIADB);
             Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), NAME)) {
            stack.loadDemoSchema();
            say("Servers up after %.1f s (source %s); demo schema loaded (shop.customers, products, orders, order_lines)",
                    seconds(started), version(stack));
            AppProcess processor = pipeline.startProcessor();
            AppProcess a = pipeline.startConnector("a");
            AppProcess b = pipeline.startConnector("b");
            say("Started processor and two connector instances (same name '%s'); logs in %s", NAME, work.resolve("logs"));

            try (Connection source = stack.source().rootConnection();
                 Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
                requireEqual(source, target, Duration.ofSeconds(120), "initial snapshot");
                say("Snapshot applied: target equals source, %.1f s after start", seconds(started));

                long changeAt = System.nanoTime();
                try (PreparedStatement ps = source.prepareStatement(
                        "INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('demo@example.com', 'Demo Change ✓', 42.00, NOW(6))")) {
                    ps.executeUpdate();
                }
                awaitRow(target, "SELECT COUNT(*) FROM customers WHERE email = 'demo@example.com'", Duration.ofSeconds(60));
                double firstChange = seconds(started);
                say("First change propagated (INSERT into shop.customers → cdc_target.customers) in %d ms; %.1f s after the local run started",
                        Duration.ofNanos(System.nanoTime() - changeAt).toMillis(), firstChange);

                Workload workload = new Workload(source, 42);
                workload.run(600, 300);
                requireEqual(source, target, Duration.ofSeconds(60), "workload");
                say("Workload of %d row changes (%d inserts, %d updates, %d deletes) applied; target equals source",
                        workload.rowChanges(), workload.inserts(), workload.updates(), workload.deletes());

                AppProcess active = activeOf(source, stack, a, b);
                AppProcess standby = active == a ? b : a;
                say("Active connector is %s; killing it with kill -9", active.name());
                long killedAt = System.nanoTime();
                active.kill9();
                Workload during = new Workload(source, 7);
                during.run(200, 100);
                if (!standby.awaitLog("is now ACTIVE", Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the standby did not take over; see " + standby.log());
                }
                requireEqual(source, target, Duration.ofSeconds(60), "failover");
                say("%s took over %d ms after the kill; %d changes made meanwhile arrived; target equals source",
                        standby.name(), Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), during.rowChanges());

                say("");
                say("Summary (source %s): snapshot, %d streamed row changes and one failover; target == source for %s.",
                        version(stack), 1 + workload.rowChanges() + during.rowChanges(), TABLES);
                say("Processor: %s events applied", metric(pipeline, processor, "cdc.processor.applied"));
                say("Processor duplicates skipped after the failover: %s", metric(pipeline, processor, "cdc.processor.duplicates.skipped"));
                say("Run took %.1f s.", seconds(started));
                if (keepRunning) {
                    say("Still running (--keep-running): change rows with the source at %s; Ctrl-C stops.", stack.source().jdbcUrl("shop"));
                    Thread.currentThread().join();
                }
            }
        }
    }

    private static String version(LocalStack stack) throws SQLException {
        try (Connection c = stack.source().rootConnection(); PreparedStatement ps = c.prepareStatement("SELECT VERSION()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return stack.source().kind().displayName() + " " + rs.getString(1);
        }
    }

    private static AppProcess activeOf(Connection source, LocalStack stack, AppProcess a, AppProcess b) throws SQLException {
        try (Connection store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
             PreparedStatement ps = store.prepareStatement("SELECT owner_id FROM cdc_lease WHERE connector_name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).equals("a") ? a : b;
            }
        }
    }

    private static String metric(Pipeline pipeline, AppProcess app, String name) {
        String exposition = pipeline.get(app, "/prometheus");
        return exposition == null ? "(metrics not available)" : String.format(Locale.ROOT, "%.0f", Metrics.prometheusValue(exposition, name, null));
    }

    static void requireEqual(Connection source, Connection target, Duration timeout, String step) throws SQLException {
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", TABLES, timeout);
        if (!diffs.isEmpty()) {
            throw new IllegalStateException("After " + step + " the target differs from the source: " + diffs);
        }
    }

    private static void awaitRow(Connection target, String countSql, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement ps = target.prepareStatement(countSql); ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return;
                }
            } catch (SQLException e) {
                // table may not exist yet
            }
            AppProcess.sleep(10);
        }
        throw new IllegalStateException("the change did not arrive in the target within " + timeout);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println("[local-run] " + String.format(Locale.ROOT, format, args));
    }
}
