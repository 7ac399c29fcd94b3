package dev.cdc.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import io.micronaut.runtime.server.EmbeddedServer;
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
 * The connector's HTTP port as an operator on the network sees it: /health and /prometheus open, every other
 * management endpoint Micronaut ships closed, an enabled one only with credentials, and no configured secret in
 * any answer. Two running instances of one connector: one with the shipped settings, one with refresh (state-changing)
 * and info (read-only) enabled.
 */
class ManagementEndpointsIT {

    private static final String NAME = "it-mgmt";
    /** Every management path of Micronaut (core, management, micrometer), with the method that reaches it. */
    static final List<String[]> MANAGEMENT_PATHS = List.of(
            new String[] {"GET", "/beans"}, new String[] {"GET", "/routes"}, new String[] {"GET", "/threaddump"},
            new String[] {"GET", "/loggers"}, new String[] {"POST", "/loggers/ROOT"}, new String[] {"GET", "/env"},
            new String[] {"GET", "/env/micronaut"}, new String[] {"POST", "/refresh"}, new String[] {"GET", "/refresh"},
            new String[] {"POST", "/stop"}, new String[] {"GET", "/info"}, new String[] {"GET", "/metrics"},
            new String[] {"GET", "/metrics/jvm.memory.used"}, new String[] {"GET", "/caches"});
    private static final Set<Integer> CLOSED = Set.of(401, 403, 404);

    @TempDir
    static Path work;
    static LocalStack stack;
    static EmbeddedServer shipped;
    static EmbeddedServer enabled;
    static final String MANAGEMENT_PASSWORD = "mgmt-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
        Map<String, Object> base = ConnectorHarness.properties(stack, NAME, "shipped");
        base.put("cdc.management.password", MANAGEMENT_PASSWORD);
        shipped = ConnectorHarness.serve(base);
        Map<String, Object> open = ConnectorHarness.properties(stack, NAME, "enabled");
        open.put("cdc.management.password", MANAGEMENT_PASSWORD);
        open.put("endpoints.refresh.enabled", true);
        open.put("endpoints.info.enabled", true);
        enabled = ConnectorHarness.serve(open);
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
            // Even with the right credentials: a disabled endpoint does not exist.
            HttpResponse<String> withCredentials = send(shipped, path[0], path[1], basic("cdc-admin", MANAGEMENT_PASSWORD));
            assertTrue(CLOSED.contains(withCredentials.statusCode()), path[0] + " " + path[1] + " with credentials answered "
                    + withCredentials.statusCode() + ": " + withCredentials.body());
        }
        HttpResponse<String> health = send(shipped, "GET", "/health", null);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"role\""), health.body());
        for (String probe : List.of("/health/liveness", "/health/readiness")) {
            HttpResponse<String> r = send(shipped, "GET", probe, null);
            assertEquals(200, r.statusCode(), probe + ": " + r.body());
        }
        HttpResponse<String> prometheus = send(shipped, "GET", "/prometheus", null);
        assertEquals(200, prometheus.statusCode());
        assertTrue(prometheus.body().contains("cdc_connector_active"), prometheus.body());
    }

    @Test
    void anEnabledStateChangingEndpointNeedsCredentials() throws Exception {
        assertEquals(401, send(enabled, "POST", "/refresh", null).statusCode());
        assertEquals(401, send(enabled, "POST", "/refresh", basic("cdc-admin", "wrong")).statusCode());
        assertEquals(401, send(enabled, "POST", "/refresh", basic("someone", MANAGEMENT_PASSWORD)).statusCode());
        HttpResponse<String> refreshed = send(enabled, "POST", "/refresh", basic("cdc-admin", MANAGEMENT_PASSWORD));
        assertEquals(200, refreshed.statusCode(), refreshed.body());

        // A read-only endpoint, once enabled, is sensitive too.
        assertEquals(401, send(enabled, "GET", "/info", null).statusCode());
        assertEquals(200, send(enabled, "GET", "/info", basic("cdc-admin", MANAGEMENT_PASSWORD)).statusCode());
        // Endpoints not enabled on this instance stay closed, with or without credentials.
        assertTrue(CLOSED.contains(send(enabled, "GET", "/beans", basic("cdc-admin", MANAGEMENT_PASSWORD)).statusCode()));
        assertTrue(CLOSED.contains(send(enabled, "POST", "/stop", basic("cdc-admin", MANAGEMENT_PASSWORD)).statusCode()));
        assertEquals(200, send(enabled, "GET", "/health", null).statusCode());
    }

    @Test
    void noAnswerContainsAConfiguredSecret() throws Exception {
        // Wait until one instance streams, so /health and /prometheus carry position details too.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !(body(shipped, "/health") + body(enabled, "/health")).contains("\"lastCommittedPosition\"")) {
            Thread.sleep(200);
        }
        List<String> secrets = List.of(stack.cdc().password(), stack.store().password(), MANAGEMENT_PASSWORD);
        for (EmbeddedServer server : List.of(shipped, enabled)) {
            String health = body(server, "/health");
            assertTrue(health.contains("\"epoch\""), health);
            String everything = health + body(server, "/prometheus") + body(server, "/health/liveness") + body(server, "/health/readiness");
            for (String[] path : MANAGEMENT_PATHS) {
                everything += send(server, path[0], path[1], null).body();
            }
            for (String secret : secrets) {
                assertFalse(everything.contains(secret), "a configured secret appears in an HTTP answer");
            }
            assertFalse(everything.contains("jdbc:"), "no JDBC URL in an HTTP answer");
            assertFalse(everything.contains("\tat "), "no stack trace in an HTTP answer");
        }
        assertTrue((body(shipped, "/health") + body(enabled, "/health")).contains("\"lastCommittedPosition\""), "one instance streams");
    }

    static String body(EmbeddedServer server, String path) throws Exception {
        return send(server, "GET", path, null).body();
    }

    static HttpResponse<String> send(EmbeddedServer server, String method, String path, String authorization) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
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
