package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances that win the lease but cannot run an engine must not keep it: one whose Debezium engine cannot start
 * (a {@code debezium.connector.class} that does not exist), one whose Kafka producer cannot be created (a bad
 * {@code kafka.producer.*} property). Each of their terms ends (lease released) within the ttl of the failure, and
 * a healthy standby leads within ttl + 2 s and streams; /health of the failing ones says standby.
 */
class EngineFailureFailoverIT {

    private static final String NAME = "ef";
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Pattern ACTIVE = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*is now ACTIVE with lease epoch (\\d+)");
    private static final Pattern RELEASED = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*released lease epoch (\\d+)");
    private static final Pattern STANDBY_READY = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*started as STANDBY");

    @TempDir
    Path work;
    LocalStack stack;
    Pipeline pipeline;
    Connection source;
    Connection target;
    Connection store;

    @BeforeEach
    void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        pipeline = new Pipeline(stack, Path.of("target", "it-logs", getClass().getSimpleName(), Long.toString(System.currentTimeMillis())), NAME).leaseTtl(TTL);
        source = stack.source().rootConnection();
        target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password());
        store = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        for (Connection c : new Connection[] {source, target, store}) {
            c.close();
        }
        stack.close();
    }

    @Test
    void instancesThatCannotRunAnEngineReleaseTheLeaseAndTheHealthyStandbyLeads() throws Exception {
        AppProcess badEngine = pipeline.startConnector("bad-engine", Map.of("debezium.connector.class", "dev.cdc.NoSuchConnector"));
        AppProcess badProducer = pipeline.startConnector("bad-producer", Map.of("kafka.producer.compression.type", "no-such-codec"));
        for (AppProcess bad : List.of(badEngine, badProducer)) {
            assertTrue(bad.awaitLog("lease released, this instance competes again", Duration.ofSeconds(90)), tail(bad));
        }
        pipeline.startProcessor();
        AppProcess healthy = pipeline.startConnector("healthy");
        assertTrue(healthy.awaitLog("is now ACTIVE", Duration.ofSeconds(90)), tail(healthy));

        // Every term of a failing instance ended, its lease released, within the ttl of the failure.
        List<Term> failedTerms = new ArrayList<>();
        for (AppProcess bad : List.of(badEngine, badProducer)) {
            List<Term> terms = terms(bad.logText());
            assertTrue(terms.stream().anyMatch(t -> t.failed != null), bad.name() + " led and failed at least once: " + tail(bad));
            for (Term t : terms) {
                if (t.failed == null) {
                    continue; // ended otherwise (e.g. a renew missed on a loaded machine): the lease expires by the ttl
                }
                assertTrue(t.released != null, bad.name() + ": lease epoch " + t.epoch + " released: " + tail(bad));
                assertTrue(Duration.between(t.failed, t.released).compareTo(TTL) < 0, bad.name() + ": lease epoch " + t.epoch + " released "
                        + Duration.between(t.failed, t.released).toMillis() + " ms after its engine failed");
                failedTerms.add(t);
            }
        }

        // The healthy standby led within ttl + 2 s of being ready, or of the start of the failing term it waited for.
        Term healthyTerm = terms(healthy.logText()).get(0);
        LocalTime ready = firstTime(STANDBY_READY, healthy.logText());
        LocalTime waitedFrom = ready;
        for (Term t : failedTerms) {
            if (t.epoch < healthyTerm.epoch && t.failed.isAfter(waitedFrom)) {
                waitedFrom = t.failed;
            }
        }
        long tookMillis = Duration.between(waitedFrom, healthyTerm.active).toMillis();
        System.out.printf("engineFailure: healthy standby led %d ms after %s (ttl %d ms); failed terms %s%n", tookMillis,
                waitedFrom.equals(ready) ? "it was ready" : "the engine of the last failing term failed", TTL.toMillis(), failedTerms);
        assertTrue(tookMillis <= TTL.plusSeconds(2).toMillis(), "the healthy standby leads within ttl + 2 s, took " + tookMillis + " ms");

        // It keeps the lease and streams; the failing instances report standby.
        assertTrue(healthy.awaitLog("events of epoch " + healthyTerm.epoch + " published", Duration.ofSeconds(90)), tail(healthy));
        AppProcess.sleep(3 * TTL.toMillis());
        assertEquals("healthy", leaseOwner());
        assertEquals(healthyTerm.epoch, leaseEpoch(), "the failing instances never took the lease back");
        for (AppProcess bad : List.of(badEngine, badProducer)) {
            String health = pipeline.get(bad, "/health");
            assertTrue(health != null && health.contains("\"role\":\"standby\""), bad.name() + " /health: " + health);
        }
        String healthyHealth = pipeline.get(healthy, "/health");
        assertTrue(healthyHealth != null && healthyHealth.contains("\"role\":\"active\""), "healthy /health: " + healthyHealth);
        new Workload(DriverManager.getConnection(stack.source().jdbcUrl("shop"), "root", ""), 5).run(50, 200);
        List<String> diffs = TableComparison.awaitEqual(source, "shop", target, "cdc_target", LocalRun.TABLES, Duration.ofSeconds(120));
        assertTrue(diffs.isEmpty(), "target differs from source: " + diffs);
    }

    /** One term from an instance's log: when it began, when its engine failed (null if it did not) and when its lease was released. */
    record Term(long epoch, LocalTime active, LocalTime failed, LocalTime released) {
    }

    private static List<Term> terms(String log) {
        List<Term> out = new ArrayList<>();
        Matcher a = ACTIVE.matcher(log);
        while (a.find()) {
            long epoch = Long.parseLong(a.group(2));
            Matcher f = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*term of epoch " + epoch + " failed").matcher(log);
            LocalTime failed = f.find() ? LocalTime.parse(f.group(1)) : null;
            LocalTime released = null;
            Matcher r = RELEASED.matcher(log);
            while (r.find()) {
                if (Long.parseLong(r.group(2)) == epoch) {
                    released = LocalTime.parse(r.group(1));
                    break;
                }
            }
            out.add(new Term(epoch, LocalTime.parse(a.group(1)), failed, released));
        }
        return out;
    }

    private static LocalTime firstTime(Pattern p, String log) {
        Matcher m = p.matcher(log);
        assertTrue(m.find(), "log has " + p.pattern());
        return LocalTime.parse(m.group(1));
    }

    private String leaseOwner() throws SQLException {
        return leaseColumn("owner_id");
    }

    private long leaseEpoch() throws SQLException {
        return Long.parseLong(leaseColumn("epoch"));
    }

    private String leaseColumn(String column) throws SQLException {
        try (PreparedStatement ps = store.prepareStatement("SELECT " + column + " FROM cdc_lease WHERE connector_name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a lease row exists");
                return rs.getString(1);
            }
        }
    }

    private static String tail(AppProcess p) {
        String text = p.logText();
        return p.name() + " log tail:\n" + text.substring(Math.max(0, text.length() - 4000));
    }
}
