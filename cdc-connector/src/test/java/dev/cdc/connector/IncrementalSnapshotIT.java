package dev.cdc.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.connector.ConnectorHarness.Event;
import dev.cdc.connector.engine.EngineThreads;
import dev.cdc.contract.Headers;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.SqlScript;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental initial snapshot (cdc.snapshot.mode=incremental) stopped in the middle: the next leader continues
 * from the last committed chunk, changes made during the snapshot win over the rows it read, a table without a primary
 * key is snapshotted whole, and the progress shows on /health and in the metrics from its start to 100 %.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalSnapshotIT {

    private static final String NAME = "it-incr";
    private static final String TOPICS = NAME + "\\.shop\\..*";
    private static final int BIG_ROWS = 40_000;
    private static final int CHUNK = 500;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String LATER = "later";
    /** Far above the engine's stop on a loaded machine (a few seconds), far below Debezium's 60 s of JMX retries. */
    private static final Duration ENGINE_GONE_WITHIN = Duration.ofSeconds(15);

    LocalStack stack;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        try (Connection c = stack.source().rootConnection()) {
            SqlScript.runResource(c, "snapshot-tables.sql", Map.of());
        }
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private Map<String, Object> properties(String instance) {
        Map<String, Object> p = ConnectorHarness.properties(stack, NAME, instance);
        p.put("cdc.snapshot.mode", "incremental");
        p.put("cdc.snapshot.chunk-size", CHUNK);
        p.put("cdc.snapshot.progress-log-interval", "1s");
        return p;
    }

    @Test
    void aNewLeaderContinuesTheSnapshotFromTheLastCommittedChunk() throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        String runningHealth = null;
        EmbeddedServer first = ConnectorHarness.serve(properties("a"));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                String health;
                try {
                    health = get(first, "/health");
                } catch (java.net.http.HttpTimeoutException slowMachine) {
                    continue;
                }
                Matcher rows = Pattern.compile("\"shop.big\":\\{\"rows\":(\\d+)").matcher(health);
                if (health.contains("\"state\":\"running\"") && rows.find() && Long.parseLong(rows.group(1)) >= 4 * CHUNK) {
                    runningHealth = health;
                    break;
                }
                Thread.sleep(50);
            }
            assertNotNull(runningHealth, "the first instance reported a running snapshot of shop.big on /health");
            // Changes while the snapshot runs: they must win over the rows it reads.
            try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE shop.big SET name = 'changed' WHERE id = " + (BIG_ROWS - 1));
                s.executeUpdate("DELETE FROM shop.big WHERE id = " + (BIG_ROWS - 2));
                s.executeUpdate("INSERT INTO shop.big (id, name, amount) VALUES (" + (BIG_ROWS + 1) + ", 'new', 1)");
            }
        } finally {
            long closing = System.nanoTime();
            first.close();
            System.out.printf("First instance closed in %d ms%n", (System.nanoTime() - closing) / 1_000_000);
        }
        JsonNode health = ConnectorHarness.JSON.readTree(runningHealth);
        JsonNode snapshot = health.at("/details/cdcConnector/details/snapshot");
        assertEquals("incremental", snapshot.get("kind").asText(), runningHealth);
        JsonNode big = snapshot.get("tables").get("shop.big");
        assertTrue(big.get("percent").asDouble() > 0 && big.get("percent").asDouble() < 100, runningHealth);
        assertTrue(big.get("estimatedRows").asLong() > 0, "the table statistics give an estimate: " + runningHealth);
        assertFalse(big.get("done").asBoolean(), runningHealth);

        assertEngineGone();
        EmbeddedServer second = ConnectorHarness.serve(properties("b"));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            String prometheus = "";
            String completed = "";
            while (System.nanoTime() < deadline && !(prometheus.contains("cdc_connector_snapshot_percent{table=\"shop.big\"} 100.0")
                    && completed.contains("\"state\":\"completed\""))) {
                Thread.sleep(200);
                prometheus = get(second, "/prometheus");
                completed = get(second, "/health");
            }
            assertTrue(prometheus.contains("cdc_connector_snapshot_percent{table=\"shop.big\"} 100.0"), prometheus);
            assertTrue(completed.contains("\"state\":\"completed\""), "every table snapshotted: " + completed);
        } finally {
            second.close();
        }

        // Everything both terms published (the end of the snapshot is committed: the last key's row is in Kafka).
        List<Event> all = ConnectorHarness.readUntil(bootstrap, TOPICS,
                ev -> bigSnapshotKeys(ev, "1").size() + bigSnapshotKeys(ev, LATER).size() >= BIG_ROWS - 1 && bigSnapshotKeys(ev, LATER).contains((long) BIG_ROWS),
                Duration.ofSeconds(180));
        Set<Long> firstTermKeys = bigSnapshotKeys(all, "1");
        Set<Long> secondTermKeys = bigSnapshotKeys(all, LATER);
        assertTrue(firstTermKeys.size() >= 4 * CHUNK && firstTermKeys.size() < BIG_ROWS, "first term read part: " + firstTermKeys.size());
        long resumedAt = secondTermKeys.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(resumedAt > 1, "the second leader did not start from row 1 but from " + resumedAt);
        Set<Long> twice = new HashSet<>(firstTermKeys);
        twice.retainAll(secondTermKeys);
        assertTrue(twice.size() <= 4096 + CHUNK, "at most one engine batch (max.batch.size 4096) and the chunk in flight are read again, not " + twice.size());

        // The last event of each key is the source's row: the changes made during the snapshot win.
        Map<Long, Event> last = new HashMap<>();
        for (Event e : all) {
            if (e.topic().equals(NAME + ".shop.big") && e.value() != null && !e.op().equals("m") && !e.op().equals("s")) {
                last.put(e.key().get("id").asLong(), e);
            }
        }
        assertEquals(BIG_ROWS + 1, last.size(), "every key of shop.big, and the row inserted during the snapshot");
        assertEquals("changed", last.get((long) BIG_ROWS - 1).value().get("after").get("name").asText());
        assertEquals("d", last.get((long) BIG_ROWS - 2).op(), "the row deleted during the snapshot stays deleted");
        assertEquals("row-7", last.get(7L).value().get("after").get("name").asText());

        // The table without a primary key came whole from the structure snapshot's blocking part; every table was announced.
        long nokey = all.stream().filter(e -> e.topic().equals(NAME + ".shop.nokey") && "r".equals(e.op())).count();
        assertTrue(nokey >= 5 && nokey % 5 == 0, "shop.nokey snapshotted whole (once per structure snapshot): " + nokey);
        for (String table : List.of("big", "nokey", "customers")) {
            assertTrue(all.stream().anyMatch(e -> e.topic().equals(NAME + ".shop." + table) && "m".equals(e.op())),
                    "snapshot marker of shop." + table);
        }
        assertTrue(all.stream().noneMatch(e -> e.topic().contains("debezium_signal")), "the signal table is not published");
    }

    /** Keys of shop.big's snapshot reads published in the term of {@code epoch} ({@link #LATER}: any term after the first). */
    private static Set<Long> bigSnapshotKeys(List<Event> events, String epoch) {
        Set<Long> keys = new HashSet<>();
        for (Event e : events) {
            String term = e.headers().get(Headers.EPOCH);
            if (e.topic().equals(NAME + ".shop.big") && "r".equals(e.op()) && (epoch.equals(LATER) ? !"1".equals(term) : epoch.equals(term))) {
                keys.add(e.key().get("id").asLong());
            }
        }
        return keys;
    }

    /**
     * A closed instance's engine has stopped (its threads ended, its JMX beans unregistered) within a few seconds of
     * the close, so that the next engine of the connector in this JVM can start (it could not register its beans while
     * the old ones stay).
     */
    private void assertEngineGone() throws Exception {
        EngineThreads threads = new EngineThreads(NAME, stack.source().host() + ":" + stack.source().port());
        javax.management.MBeanServer beans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName pattern = new javax.management.ObjectName("debezium.mariadb:server=" + NAME + ",*");
        long started = System.nanoTime();
        long deadline = started + ENGINE_GONE_WITHIN.toNanos();
        while (System.nanoTime() < deadline && !(beans.queryNames(pattern, null).isEmpty() && threads.live().isEmpty())) {
            Thread.sleep(100);
        }
        assertEquals(Set.of(), beans.queryNames(pattern, null), "JMX beans of the closed engine still registered after "
                + ENGINE_GONE_WITHIN.toSeconds() + " s; its threads: " + threads.describe());
        assertEquals("none", threads.describe(), "threads of the closed engine still running after " + ENGINE_GONE_WITHIN.toSeconds() + " s");
        System.out.printf("Engine of the closed instance gone %d ms after its close returned%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static String get(EmbeddedServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path)).timeout(Duration.ofSeconds(30)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
