package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor's HTTP port as an operator on the network sees it: /health and /prometheus open, every other
 * management endpoint Micronaut ships closed, an enabled one only with credentials, and no configured secret or JDBC
 * URL in any answer. Two running processors: one with the shipped settings, one with refresh (state-changing) and
 * info (read-only) enabled.
 */
class ManagementEndpointsIT {

    /** Every management path of Micronaut (core, management, micrometer), with the method that reaches it. */
    private static final List<String[]> MANAGEMENT_PATHS = List.of(
            new String[] {"GET", "/beans"}, new String[] {"GET", "/routes"}, new String[] {"GET", "/threaddump"},
            new String[] {"GET", "/loggers"}, new String[] {"POST", "/loggers/ROOT"}, new String[] {"GET", "/env"},
            new String[] {"GET", "/env/micronaut"}, new String[] {"POST", "/refresh"}, new String[] {"GET", "/refresh"},
            new String[] {"POST", "/stop"}, new String[] {"GET", "/info"}, new String[] {"GET", "/metrics"},
            new String[] {"GET", "/metrics/cdc.processor.applied"}, new String[] {"GET", "/caches"});
    private static final Set<Integer> CLOSED = Set.of(401, 403, 404);
    private static final String MANAGEMENT_PASSWORD = "mgmt-" + UUID.randomUUID();
    private static final TestEvents.Table ITEMS = new TestEvents.Table("shop", "mgmt_items")
            .column("id", "INT", "INT", false, true)
            .column("name", "VARCHAR", "VARCHAR(20)", false, false);

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static RunningProcessor shipped;
    static RunningProcessor enabled;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(workDir);
        Map<String, Object> base = RunningProcessor.properties(stack, "mgmt");
        base.put("cdc.management.password", MANAGEMENT_PASSWORD);
        shipped = RunningProcessor.start(base);
        Map<String, Object> open = RunningProcessor.properties(stack, "mgmtopen");
        open.put("cdc.management.password", MANAGEMENT_PASSWORD);
        open.put("endpoints.refresh.enabled", true);
        open.put("endpoints.info.enabled", true);
        enabled = RunningProcessor.start(open);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {enabled, shipped, stack}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // the next one still closes
            }
        }
    }

    @Test
    void onlyHealthAndPrometheusAnswerWithTheShippedSettings() throws Exception {
        for (String[] path : MANAGEMENT_PATHS) {
            HttpResponse<String> r = send(shipped, path[0], path[1], null);
            assertTrue(CLOSED.contains(r.statusCode()), path[0] + " " + path[1] + " answered " + r.statusCode() + ": " + r.body());
            HttpResponse<String> withCredentials = send(shipped, path[0], path[1], basic("cdc-admin", MANAGEMENT_PASSWORD));
            assertTrue(CLOSED.contains(withCredentials.statusCode()), path[0] + " " + path[1] + " with credentials answered "
                    + withCredentials.statusCode() + ": " + withCredentials.body());
        }
        HttpResponse<String> health = send(shipped, "GET", "/health", null);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"cdcProcessor\"") && health.body().contains("\"targetDatabase\""), health.body());
        for (String probe : List.of("/health/liveness", "/health/readiness")) {
            HttpResponse<String> r = send(shipped, "GET", probe, null);
            assertEquals(200, r.statusCode(), probe + ": " + r.body());
        }
        HttpResponse<String> prometheus = send(shipped, "GET", "/prometheus", null);
        assertEquals(200, prometheus.statusCode());
        assertTrue(prometheus.body().contains("cdc_processor_"), prometheus.body());
    }

    @Test
    void anEnabledStateChangingEndpointNeedsCredentials() throws Exception {
        assertEquals(401, send(enabled, "POST", "/refresh", null).statusCode());
        assertEquals(401, send(enabled, "POST", "/refresh", basic("cdc-admin", "wrong")).statusCode());
        assertEquals(401, send(enabled, "POST", "/refresh", basic("someone", MANAGEMENT_PASSWORD)).statusCode());
        HttpResponse<String> refreshed = send(enabled, "POST", "/refresh", basic("cdc-admin", MANAGEMENT_PASSWORD));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertEquals(401, send(enabled, "GET", "/info", null).statusCode());
        assertEquals(200, send(enabled, "GET", "/info", basic("cdc-admin", MANAGEMENT_PASSWORD)).statusCode());
        assertTrue(CLOSED.contains(send(enabled, "GET", "/beans", basic("cdc-admin", MANAGEMENT_PASSWORD)).statusCode()));
        assertTrue(CLOSED.contains(send(enabled, "POST", "/stop", basic("cdc-admin", MANAGEMENT_PASSWORD)).statusCode()));
        assertEquals(200, send(enabled, "GET", "/health", null).statusCode());
    }

    @Test
    void noAnswerContainsAConfiguredSecret() throws Exception {
        try (EventProducer producer = new EventProducer(stack.kafka().bootstrapServers(), "mgmt-it")) {
            producer.sendTransaction(List.of(EventProducer.event(ITEMS.topic("mgmt"), null,
                    ITEMS.create("binlog.000001", 100, 1, 1, row("id", 1, "name", "one")))));
        }
        RunningProcessor.await(Duration.ofSeconds(60), "the event applied", () -> shipped.count(ProcessorMetrics.APPLIED) >= 1);
        List<String> secrets = List.of(stack.targetDb().password(), MANAGEMENT_PASSWORD);
        for (RunningProcessor processor : List.of(shipped, enabled)) {
            String health = send(processor, "GET", "/health", null).body();
            assertTrue(health.contains("\"database\":\"127.0.0.1:") && health.contains("\"assignedPartitions\""), health);
            String everything = health + send(processor, "GET", "/prometheus", null).body()
                    + send(processor, "GET", "/health/liveness", null).body() + send(processor, "GET", "/health/readiness", null).body();
            for (String[] path : MANAGEMENT_PATHS) {
                everything += send(processor, path[0], path[1], null).body();
            }
            for (String secret : secrets) {
                assertFalse(everything.contains(secret), "a configured secret appears in an HTTP answer");
            }
            assertFalse(everything.contains("jdbc:"), "no JDBC URL in an HTTP answer");
            assertFalse(everything.contains("\tat "), "no stack trace in an HTTP answer");
        }
    }

    static HttpResponse<String> send(RunningProcessor processor, String method, String path, String authorization) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.server.getPort() + path))
                .timeout(Duration.ofSeconds(20));
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"configuredLevel\":\"DEBUG\"}"));
        } else {
            request.GET();
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
