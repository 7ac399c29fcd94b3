package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The type corpus and the schema-change script across a kill -9 failover, on MariaDB. Before the connector starts: the
 * corpus (the fixtures of {@link TypeCorpusIT}), the tables of {@link SchemaChangeScript} and a table without a primary
 * key (snapshot). While it streams: the corpus rows again and its changes, the schema-change script and changes of the
 * keyless table, interleaved statement by statement. Two connector instances run, each in its own JVM; the active one is
 * killed with kill -9 in the middle of the script: after the target has caught up with the first third of the schema
 * changes and has applied changes written after them, before the last third is written. The standby takes over and the
 * script finishes. Then every table equals its source value by value (exact text or bytes) with the same column
 * definitions (type, nullability, default, charset, collation, key), nothing was dead-lettered, no partition stopped,
 * the snapshot was applied once and each source row change exactly once (the keyless table's equal rows included).
 */
class CorpusFailoverIT {

    private static final String NAME = "corpusfo";
    /** The target database of {@link LocalStack#targetDb()}. */
    private static final String TARGET_DB = "cdc_target";
    private static final String KEYLESS_BEFORE = "sql/keyless-tally-before.sql";
    private static final String KEYLESS_STREAMING = "sql/keyless-tally-streaming.sql";
    /** Generous: two connector JVMs, the processor and the snapshot take minutes on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    /** Longer than FailoverIT's 2 s, so that a loaded machine's pauses do not move the lease before the planned kill. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);
    /** The fixtures and tables of the type corpus, as {@link TypeCorpusIT} loads them on MariaDB. */
    private static final TypeCorpusIT CORPUS = new TypeCorpusIT();

    /** One statement of the streaming phase, the source session it runs in, and its place (0..1) in its own file. */
    private record Step(Connection session, String sql, boolean schemaChange, double place) {
    }

    @TempDir
    Path work;
    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;
    Connection store;
    /** The corpus's statements set session variables (time zone, SQL mode): they run in a session of their own. */
    Connection corpusSession;
    Connection scriptSession;
    /** Rows the source's statements changed (inserted, updated with a new value, deleted) while the connector streamed. */
    long sourceRowChanges;

    @BeforeEach
    void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        source = stack.source().rootConnection();
        for (String fixture : CORPUS.fixtures()) {
            SqlScript.runResource(source, fixture + "-schema.sql", Map.of());
            SqlScript.runResource(source, fixture + "-rows.sql", Map.of());
        }
        SqlScript.runResource(source, SchemaChangeScript.BEFORE, Map.of());
        SqlScript.runResource(source, KEYLESS_BEFORE, Map.of());
        // The apps' logs stay in target/ for a failed run.
        pipeline = new Pipeline(stack, Path.of("target", "it-logs", getClass().getSimpleName(), Long.toString(System.currentTimeMillis())), NAME)
                .leaseTtl(LEASE_TTL);
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
        store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
        corpusSession = changedRowsSession();
        scriptSession = changedRowsSession();
    }

    /** A source session whose update counts are the rows changed, not the rows found: the row events the binlog gets. */
    private Connection changedRowsSession() throws SQLException {
        return DriverManager.getConnection(stack.source().jdbcUrl("") + "?useAffectedRows=true", "root", "");
    }

    @AfterEach
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {corpusSession, scriptSession, source, target, store, stack}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void corpusAndSchemaChangesArriveExactlyAcrossAKillNine() throws Exception {
        long started = System.nanoTime();
        long snapshotRows = sourceRows();
        AppProcess processor = pipeline.startProcessor();
        Map<String, AppProcess> instances = new HashMap<>();
        instances.put("a", pipeline.startConnector("a"));
        instances.put("b", pipeline.startConnector("b"));
        assertEqual("after the snapshot");
        System.out.printf("corpusFailover: snapshot equal after %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());

        List<Step> steps = streamingSteps();
        int schemaChanges = (int) steps.stream().filter(Step::schemaChange).count();
        int caughtUpAt = indexOfSchemaChange(steps, schemaChanges / 3);
        int killAt = indexOfSchemaChange(steps, 2 * schemaChanges / 3);
        run(steps.subList(0, caughtUpAt));
        assertEqual("after the first " + schemaChanges / 3 + " schema changes, before the failover");

        long changesBefore = sourceRowChanges;
        long appliedBefore = applied(processor);
        run(steps.subList(caughtUpAt, killAt));
        // Kill once the target has applied some of what was just written (the active is streaming it), not after a sleep.
        long appliedAtKill = awaitAppliedAbove(processor, appliedBefore, Duration.ofSeconds(120));
        String activeId = LeaseOwner.await(store, NAME, Duration.ofSeconds(30));
        AppProcess standby = instances.get(activeId.equals("a") ? "b" : "a");
        int activations = count(standby.logText(), "is now ACTIVE");
        instances.get(activeId).kill9();
        long windowChanges = sourceRowChanges - changesBefore;
        run(steps.subList(killAt, steps.size()));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (count(standby.logText(), "is now ACTIVE") == activations && System.nanoTime() < deadline) {
            AppProcess.sleep(100);
        }
        assertTrue(count(standby.logText(), "is now ACTIVE") > activations, "the standby took over: " + tail(standby));
        assertEqual("after the failover and the rest of the script");
        System.out.printf("corpusFailover: equal after the failover, %d s after the start%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());

        // The counters follow the target's commit: a moment after the tables are equal.
        long applied = applied(processor);
        for (long until = System.nanoTime() + Duration.ofSeconds(10).toNanos(); applied < sourceRowChanges && System.nanoTime() < until; ) {
            AppProcess.sleep(200);
            applied = applied(processor);
        }
        String metrics = prometheus(processor);
        long duplicates = Math.round(Metrics.prometheusValue(metrics, "cdc.processor.duplicates.skipped", null));
        System.out.printf("corpusFailover: %d statements (%d schema changes); killed %s with %d schema changes written (%d applied at the catch-up)"
                        + " and %d of the %d row changes written since the catch-up applied; %d source row changes, %d applied, %d duplicates skipped,"
                        + " %d snapshot reads%n",
                steps.size(), schemaChanges, activeId, 2 * schemaChanges / 3, schemaChanges / 3, appliedAtKill - appliedBefore, windowChanges,
                sourceRowChanges, applied, duplicates, Math.round(Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:r")));
        assertEquals(sourceRowChanges, applied, "each source row change applied exactly once");
        assertEquals(snapshotRows, Math.round(Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:r")), "the snapshot applied once");
        assertEquals(0, TopicRecords.count(stack.kafka().bootstrapServers(), NAME + ".dlq"), "records on the dead-letter topic");
        assertTrue(metrics.contains("cdc_processor_stopped_partitions"), "the processor reports its stopped partitions");
        assertEquals(0, Metrics.prometheusValue(metrics, "cdc.processor.stopped.partitions", null), "stopped partitions");
        assertFalse(processor.logText().contains("STOPPED at record"), "no partition stopped on the way");
        assertFalse(processor.logText().contains("Not mirrored"), "every schema change mirrored");
    }

    /**
     * The corpus rows and changes (in {@link TypeCorpusIT}'s order), the schema-change script and the keyless table's
     * changes, merged so that each file is spread evenly over the whole run and keeps its own order.
     */
    private List<Step> streamingSteps() {
        List<Step> steps = new ArrayList<>();
        List<String> corpus = new ArrayList<>();
        for (String fixture : CORPUS.fixtures()) {
            corpus.addAll(SqlScript.statements(SqlScript.resource(fixture + "-rows.sql")));
        }
        for (String fixture : CORPUS.fixtures()) {
            corpus.addAll(SqlScript.statements(SqlScript.resource(fixture + "-changes.sql")));
        }
        addSpread(steps, corpusSession, corpus);
        addSpread(steps, scriptSession, SchemaChangeScript.streamingStatements());
        addSpread(steps, scriptSession, SqlScript.statements(SqlScript.resource(KEYLESS_STREAMING)));
        steps.sort(Comparator.comparingDouble(Step::place)); // stable: equal places keep the order added
        return steps;
    }

    private static void addSpread(List<Step> steps, Connection session, List<String> statements) {
        for (int i = 0; i < statements.size(); i++) {
            String sql = statements.get(i);
            steps.add(new Step(session, sql, SchemaChangeScript.isSchemaChange(sql), (i + 0.5) / statements.size()));
        }
    }

    private static int indexOfSchemaChange(List<Step> steps, int n) {
        int seen = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).schemaChange() && seen++ == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("the script has fewer than " + (n + 1) + " schema changes");
    }

    private void run(List<Step> steps) throws SQLException {
        for (Step step : steps) {
            try (Statement s = step.session().createStatement()) {
                s.execute(step.sql());
                // An ALTER TABLE reports the rows it copied: they are not row changes.
                if (!step.schemaChange()) {
                    sourceRowChanges += Math.max(0, s.getUpdateCount());
                }
            }
        }
    }

    /** Every table of the source database equals its target table: the same tables, rows, values and column definitions. */
    private void assertEqual(String when) throws SQLException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> diffs;
        do {
            diffs = differences();
            if (diffs.isEmpty()) {
                return;
            }
            AppProcess.sleep(500);
        } while (System.nanoTime() < deadline);
        fail("target differs from source " + when + ":\n" + String.join("\n", diffs));
    }

    private List<String> differences() throws SQLException {
        List<String> tables = tables(source, "shop");
        List<String> diffs = new ArrayList<>();
        // The target also holds the connector's signal table (captured with the rows) and the processor's cdc_* tables.
        Set<String> expected = new java.util.TreeSet<>(tables);
        expected.addAll(tables(source, "cdc_signal"));
        Set<String> targetTables = new java.util.TreeSet<>(tables(target, TARGET_DB).stream().filter(t -> !t.startsWith("cdc_")).toList());
        if (!expected.equals(targetTables)) {
            diffs.add("tables: source " + expected + ", target " + targetTables);
        }
        for (String table : tables) {
            diffs.addAll(ExactTableComparison.differences(source, "shop", target, TARGET_DB, table));
            diffs.addAll(ColumnDefinitions.differences(source, "shop", target, TARGET_DB, table));
        }
        return diffs;
    }

    private static List<String> tables(Connection c, String db) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            ps.setString(1, db);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    private long sourceRows() throws SQLException {
        long rows = 0;
        for (String table : tables(source, "shop")) {
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shop.`" + table + "`")) {
                rs.next();
                rows += rs.getLong(1);
            }
        }
        return rows;
    }

    /** Streamed row changes applied to the target (inserts, updates, deletes), from the processor's counters. */
    private long applied(AppProcess processor) {
        String metrics = prometheus(processor);
        return Math.round(Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:c")
                + Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:u") + Metrics.prometheusValue(metrics, "cdc.processor.applied", "op:d"));
    }

    /** The processor's Prometheus text; a loaded machine may not answer at once, but a missing answer is no count of 0. */
    private String prometheus(AppProcess processor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = pipeline.get(processor, "/prometheus");
            if (metrics != null) {
                return metrics;
            }
            AppProcess.sleep(200);
        }
        throw new AssertionError("the processor's /prometheus did not answer within 60 s: " + tail(processor));
    }

    private long awaitAppliedAbove(AppProcess processor, long before, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long now = applied(processor);
            if (now > before) {
                return now;
            }
            AppProcess.sleep(20);
        }
        throw new AssertionError("nothing written after the catch-up was applied within " + timeout);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String tail(AppProcess p) {
        String text = p.logText();
        return p.name() + " log tail:\n" + text.substring(Math.max(0, text.length() - 4000));
    }
}
