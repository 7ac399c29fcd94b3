package dev.cdc.demo.bench;

import dev.cdc.demo.AppProcess;
import dev.cdc.demo.MixedWorkload;
import dev.cdc.demo.Pipeline;
import dev.cdc.demo.TableComparison;
import dev.cdc.localstack.MariaDbBinaries;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Bounded chaos: two connector instances and the processor under a mixed workload ({@link MixedWorkload}); each round
 * a seeded random picks one fault (kill -9 of the active connector, SIGSTOP of the active connector past the lease
 * ttl then SIGCONT, kill -9 of the processor), the workload goes on, then pauses while every table must converge
 * (target equals source). An app that exited by itself is started again at the next round. After the rounds the
 * workload stops and every table is compared once more. Exit code 0 when every table converged after every round, 1 otherwise.
 * Run: ./mvnw -q -Pdemo -DskipTests verify -Ddemo.main=dev.cdc.demo.bench.ChaosRun (knobs: {@link ChaosSettings}).
 */
public final class ChaosRun {

    private static final String NAME = "chaos";
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final String KEYLESS_TABLE = "ledger";
    private static final List<String> TABLES = List.of("customers", "products", "orders", "order_lines", "moving_keys", KEYLESS_TABLE);

    enum Fault {
        KILL_CONNECTOR("kill -9 active connector"),
        PAUSE_CONNECTOR("SIGSTOP active connector"),
        KILL_PROCESSOR("kill -9 processor");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    private record Lease(String owner, long epoch) {
    }

    private final ChaosSettings settings;
    private final Random random;
    private final LocalStack stack;
    private final Pipeline pipeline;
    private final Connection source;
    private final Connection target;
    private final Connection store;
    private final Map<String, AppProcess> connectors = new HashMap<>();
    private AppProcess processor;

    private ChaosRun(ChaosSettings settings, LocalStack stack, Pipeline pipeline, Connection source, Connection target, Connection store) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.stack = stack;
        this.pipeline = pipeline;
        this.source = source;
        this.target = target;
        this.store = store;
    }

    public static void main(String[] args) throws Exception {
        ChaosSettings settings = ChaosSettings.fromSystemProperties();
        long started = System.nanoTime();
        Path work = Path.of(System.getProperty("chaos.work-dir", "target/chaos-run")).toAbsolutePath();
        MariaDbBinaries.deleteTree(work);
        Files.createDirectories(work);
        say("seed %d (repeat with -Dchaos.seed=%d); %d rounds, workload %d transactions/s, %d s of load per round after the fault, "
                        + "bulk key move of %d rows every %d s; logs in %s", settings.seed(), settings.seed(), settings.rounds(), settings.rate(),
                settings.roundLoad().toSeconds(), settings.keyRows(), settings.bulkEvery().toSeconds(), work.resolve("logs"));
        boolean ok;
        try (LocalStack stack = LocalStack.start(work);
             Pipeline pipeline = new Pipeline(stack, work.resolve("logs"), NAME).leaseTtl(TTL);
             Connection source = stack.source().rootConnection();
             Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
             Connection store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password())) {
            ok = new ChaosRun(settings, stack, pipeline, source, target, store).run();
        }
        say("run took %.1f min (%s)", (System.nanoTime() - started) / 60e9, Stats.machine());
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws Exception {
        stack.loadDemoSchema();
        SqlScript.runResource(source, "sql/chaos-schema.sql", Map.of("ROWS", Integer.toString(settings.keyRows())));
        String keylessTopic = NAME + ".shop." + KEYLESS_TABLE;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(keylessTopic, 1, (short) 1))).all().get();
        }
        say("shop.%s has no primary key, so its events have no Kafka key: its topic %s was created with ONE partition before the "
                + "connectors started, so that its changes stay in order (other topics: the broker default of 2)", KEYLESS_TABLE, keylessTopic);

        processor = pipeline.startProcessor();
        connectors.put("a", pipeline.startConnector("a"));
        connectors.put("b", pipeline.startConnector("b"));
        long snapshotStart = System.nanoTime();
        List<String> initial = TableComparison.awaitEqual(source, "shop", target, "cdc_target", TABLES, Duration.ofSeconds(300));
        if (!initial.isEmpty()) {
            say("the initial snapshot did not converge within 300 s: %s", initial);
            return false;
        }
        say("snapshot converged %.1f s after the apps started; tables %s", seconds(snapshotStart), TABLES);

        List<Fault> schedule = schedule();
        List<String> lines = new ArrayList<>();
        Set<String> diverged = new LinkedHashSet<>();
        int roundsDone = 0;
        try (MixedWorkload workload = new MixedWorkload(stack.source().rootConnection(), settings.seed(), settings.rate(), settings.bulkEvery(),
                1_000_000).start()) {
            for (int round = 1; round <= schedule.size(); round++) {
                long transactionsBefore = workload.transactions();
                String revived = restartExited();
                AppProcess.sleep(1000 + random.nextInt(3000)); // the fault lands at a random point of the workload
                long faultAt = System.nanoTime();
                String what = revived + inject(schedule.get(round - 1));
                AppProcess.sleep(settings.roundLoad().toMillis());
                workload.pause();
                if (workload.failure() != null) {
                    throw workload.failure();
                }
                long pausedAt = System.nanoTime();
                List<String> checked = TABLES.stream().filter(t -> !diverged.contains(t)).toList();
                List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", checked, settings.convergeTimeout());
                String outcome;
                List<String> differing = checked.stream()
                        .filter(table -> diffs.stream().anyMatch(d -> d.startsWith(table + " ") || d.startsWith(table + ":"))).toList();
                if (diffs.isEmpty()) {
                    outcome = String.format(Locale.ROOT, "converged %.1f s after the workload paused (%.1f s after the fault)", seconds(pausedAt),
                            seconds(faultAt));
                } else {
                    outcome = "NOT converged within " + settings.convergeTimeout().toSeconds() + " s: " + diffs;
                }
                String line = String.format(Locale.ROOT, "round %2d: %-24s | %s | %d transactions in the round | lease epoch %d at the check | %s",
                        round, schedule.get(round - 1).label, what, workload.transactions() - transactionsBefore, currentEpoch(), outcome);
                lines.add(line);
                say("%s", line);
                roundsDone = round;
                if (!differing.isEmpty()) {
                    say("  last leadership lines of the connectors:%n%s", leadershipTail());
                }
                if (!differing.isEmpty() && differing.size() == checked.size()) {
                    // Nothing converged: the pipeline as a whole is stuck, and each further round would only wait out its timeout.
                    say("every table still differs: the rounds stop here");
                    diverged.addAll(differing);
                    break;
                }
                // A table that did not converge is left out of the later rounds' checks (the others still tell something).
                diverged.addAll(differing);
                workload.resume();
            }
            workload.pause();
            say("workload stopped: %d transactions (%d orders with lines, balance, stock and ledger entry; %d on the keyless ledger alone), "
                            + "%d bulk key moves (%d rows moved)", workload.transactions(), workload.orders(), workload.ledgerOnly(),
                    workload.bulkMoves(), workload.rowsMoved());
        }

        long finalStart = System.nanoTime();
        List<String> finalDiffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", TABLES, settings.convergeTimeout());
        say("");
        say("summary (seed %d, lease ttl %d s, keyless table's topic with 1 partition):", settings.seed(), TTL.toSeconds());
        lines.forEach(l -> say("  %s", l));
        say("final comparison after %.1f s: %s", seconds(finalStart), rowCounts());
        boolean ok = finalDiffs.isEmpty() && diverged.isEmpty();
        if (ok) {
            say("%d rounds, all tables converged", roundsDone);
        } else {
            say("%d of %d rounds done, NOT all tables converged: did not converge in a round: %s; differences at the end: %s", roundsDone,
                    schedule.size(),
                    diverged, finalDiffs.isEmpty() ? "none" : finalDiffs);
        }
        return ok;
    }

    /** Each group of three rounds has each fault once, in a seeded random order, so that ten rounds exercise all three. */
    private List<Fault> schedule() {
        List<Fault> out = new ArrayList<>();
        while (out.size() < settings.rounds()) {
            List<Fault> group = new ArrayList<>(List.of(Fault.values()));
            Collections.shuffle(group, random);
            out.addAll(group);
        }
        return out.subList(0, settings.rounds());
    }

    /**
     * Two connector instances and the processor are always configured: an app that exited by itself (not by a fault of
     * this run) is named with the first error of its log and started again, as a process supervisor would.
     */
    private String restartExited() {
        StringBuilder out = new StringBuilder();
        for (String id : List.of("a", "b")) {
            AppProcess connector = connectors.get(id);
            if (!connector.isAlive()) {
                out.append("connector ").append(id).append(" had exited by itself (").append(firstError(connector)).append("), restarted it; ");
                connectors.put(id, pipeline.startConnector(id));
            }
        }
        if (!processor.isAlive()) {
            out.append("the processor had exited by itself (").append(firstError(processor)).append("), restarted it; ");
            processor = pipeline.startProcessor();
        }
        return out.toString();
    }

    private static String firstError(AppProcess app) {
        String line = app.logText().lines().filter(l -> l.contains("ERROR")).findFirst().orElse("no ERROR line in " + app.log());
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private String inject(Fault fault) throws Exception {
        return switch (fault) {
            case KILL_CONNECTOR -> killConnector();
            case PAUSE_CONNECTOR -> pauseConnector();
            case KILL_PROCESSOR -> killProcessor();
        };
    }

    private String killConnector() throws Exception {
        Lease before = awaitLease(Duration.ofSeconds(90));
        long at = System.nanoTime();
        connectors.get(before.owner()).kill9();
        connectors.put(before.owner(), pipeline.startConnector(before.owner())); // back as the standby
        String takeover = takeover(awaitEpochAbove(before.epoch(), Duration.ofSeconds(90)), at);
        return String.format(Locale.ROOT, "killed %s (epoch %d), restarted it; %s", before.owner(), before.epoch(), takeover);
    }

    private String pauseConnector() throws Exception {
        Lease before = awaitLease(Duration.ofSeconds(90));
        AppProcess active = connectors.get(before.owner());
        long at = System.nanoTime();
        active.pause();
        String takeover = takeover(awaitEpochAbove(before.epoch(), Duration.ofSeconds(90)), at);
        AppProcess.sleep(random.nextInt(2000)); // stays stopped a little past the takeover
        active.resume();
        double stopped = seconds(at);
        boolean stoodDown = active.awaitLog("lost leadership of epoch " + before.epoch() + " and is now STANDBY", Duration.ofSeconds(30));
        return String.format(Locale.ROOT, "stopped %s (epoch %d) for %.1f s; %s; after SIGCONT %s", before.owner(), before.epoch(), stopped,
                takeover, stoodDown ? "it stood down" : "it did NOT log that it stood down within 30 s");
    }

    private String killProcessor() {
        processor.kill9();
        long down = random.nextInt(2000);
        AppProcess.sleep(down);
        processor = pipeline.startProcessor();
        return String.format(Locale.ROOT, "killed the processor, restarted it %.1f s later", down / 1000.0);
    }

    /** Who leads after the fault and how long after it; call it as soon as the new lease is seen. */
    private static String takeover(Lease after, long since) {
        return after == null ? "NO new leader within 90 s"
                : String.format(Locale.ROOT, "%s leads epoch %d after %.1f s", after.owner(), after.epoch(), seconds(since));
    }

    private Lease awaitLease(Duration timeout) throws SQLException {
        Lease lease = awaitEpochAbove(0, timeout);
        if (lease == null) {
            throw new IllegalStateException("no connector holds the lease after " + timeout.toSeconds() + " s; see the logs");
        }
        return lease;
    }

    /** The live lease once its epoch is above {@code epoch}; null on timeout. */
    private Lease awaitEpochAbove(long epoch, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement ps = store.prepareStatement("SELECT owner_id, epoch FROM cdc_lease WHERE connector_name = ? AND expires_at > NOW(3)")) {
            ps.setString(1, NAME);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(2) > epoch) {
                        return new Lease(rs.getString(1), rs.getLong(2));
                    }
                }
                AppProcess.sleep(50);
            }
        }
        return null;
    }

    private long currentEpoch() throws SQLException {
        try (PreparedStatement ps = store.prepareStatement("SELECT epoch FROM cdc_lease WHERE connector_name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The last leadership changes and engine failures of the running connector instances, oldest first. */
    private String leadershipTail() {
        List<String> lines = new ArrayList<>();
        for (AppProcess connector : connectors.values()) {
            connector.logText().lines()
                    .filter(l -> l.contains("is now ACTIVE") || l.contains("lost leadership") || l.contains("failed to start"))
                    .forEach(l -> lines.add(l.length() > 260 ? l.substring(0, 260) + "…" : l));
        }
        Collections.sort(lines);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    }

    private String rowCounts() throws SQLException {
        List<String> counts = new ArrayList<>();
        for (String table : TABLES) {
            counts.add(table + " " + count(source, "shop", table) + "/" + count(target, "cdc_target", table));
        }
        return "rows source/target: " + String.join(", ", counts);
    }

    private static long count(Connection c, String db, String table) {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM `" + db + "`.`" + table + "`"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println("[chaos] " + String.format(Locale.ROOT, format, args));
    }
}
