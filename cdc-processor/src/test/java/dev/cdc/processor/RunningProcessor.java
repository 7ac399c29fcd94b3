package dev.cdc.processor;

import dev.cdc.localstack.LocalStack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The processor application running in the test JVM against a local stack, with its HTTP server on a random port. */
final class RunningProcessor implements AutoCloseable {

    final EmbeddedServer server;
    final ApplicationContext context;
    private final MeterRegistry registry;

    private RunningProcessor(EmbeddedServer server) {
        this.server = server;
        this.context = server.getApplicationContext();
        this.registry = context.getBean(MeterRegistry.class);
    }

    static Map<String, Object> properties(LocalStack stack, String prefix) {
        Map<String, Object> props = new HashMap<>();
        props.put("cdc.topic-prefix", prefix);
        props.put("cdc.processor.group-id", prefix + "-processor");
        props.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        props.put("kafka.metadata.max.age.ms", "1000");
        props.put("datasources.default.url", stack.targetDb().url());
        props.put("datasources.default.username", stack.targetDb().user());
        props.put("datasources.default.password", stack.targetDb().password());
        props.put("micronaut.server.port", -1);
        return props;
    }

    static RunningProcessor start(Map<String, Object> properties) {
        return new RunningProcessor(ApplicationContext.run(EmbeddedServer.class, properties));
    }

    /** Sum of the counter {@code name} over the series matching {@code tags} (key, value, ...). */
    double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The value of the gauge {@code name}. */
    double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        context.close();
    }

    static Connection target(LocalStack stack) throws SQLException {
        LocalStack.Credentials db = stack.targetDb();
        Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
        }
        return c;
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }
}
