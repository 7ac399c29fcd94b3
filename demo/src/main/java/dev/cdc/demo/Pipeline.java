package dev.cdc.demo;

import dev.cdc.localstack.LocalMariaDb;
import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's processes on a local stack: connector instances (same connector name, different instance ids)
 * and the processor, each in its own JVM. Connectors reach the store through a {@link TcpProxy}, so a test can
 * make the store unreachable for them without stopping it.
 */
public final class Pipeline implements AutoCloseable {

    private final LocalStack stack;
    private final Path logDir;
    private final String connectorName;
    private final TcpProxy storeProxy;
    private final List<AppProcess> processes = new ArrayList<>();
    private final Map<AppProcess, Integer> httpPorts = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Duration leaseTtl = Duration.ofSeconds(2);

    public Pipeline(LocalStack stack, Path logDir, String connectorName) {
        this.stack = stack;
        this.logDir = logDir;
        this.connectorName = connectorName;
        this.storeProxy = TcpProxy.start(stack.target().host(), stack.target().port());
    }

    public Pipeline leaseTtl(Duration ttl) {
        this.leaseTtl = ttl;
        return this;
    }

    public String connectorName() {
        return connectorName;
    }

    public TcpProxy storeProxy() {
        return storeProxy;
    }

    public LocalStack stack() {
        return stack;
    }

    public AppProcess startConnector(String instanceId) {
        return startConnector(instanceId, Map.of());
    }

    public AppProcess startConnector(String instanceId, Map<String, String> extra) {
        int port = LocalMariaDb.freePort();
        Map<String, String> props = new HashMap<>();
        props.put("cdc.name", connectorName);
        props.put("cdc.instance-id", instanceId);
        props.put("cdc.source.url", stack.cdc().url());
        props.put("cdc.source.user", stack.cdc().user());
        props.put("cdc.store.url", storeProxy.jdbcUrl("cdc_store"));
        props.put("cdc.store.user", stack.store().user());
        props.put("cdc.capture.databases", "shop");
        props.put("cdc.lease.ttl", leaseTtl.toMillis() + "ms");
        props.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        props.put("micronaut.server.port", Integer.toString(port));
        props.putAll(extra);
        Map<String, String> env = Map.of("CDC_SOURCE_PASSWORD", stack.cdc().password(), "CDC_STORE_PASSWORD", stack.store().password());
        AppProcess p = AppProcess.start("connector-" + instanceId, AppJars.connector(), props, env, logDir, "256m");
        processes.add(p);
        httpPorts.put(p, port);
        return p;
    }

    public AppProcess startProcessor() {
        return startProcessor("processor", Map.of());
    }

    /** A processor named {@code name} (its log file), with {@code extra} system properties over the defaults. */
    public AppProcess startProcessor(String name, Map<String, String> extra) {
        int port = LocalMariaDb.freePort();
        Map<String, String> props = new HashMap<>();
        props.put("cdc.topic-prefix", connectorName);
        props.put("datasources.default.url", stack.targetDb().url());
        props.put("datasources.default.username", stack.targetDb().user());
        props.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        props.put("micronaut.server.port", Integer.toString(port));
        props.putAll(extra);
        Map<String, String> env = Map.of("DATASOURCES_DEFAULT_PASSWORD", stack.targetDb().password());
        AppProcess p = AppProcess.start(name, AppJars.processor(), props, env, logDir, "384m");
        processes.add(p);
        httpPorts.put(p, port);
        return p;
    }

    /** GET on an app's HTTP port (health, metrics); null when it does not answer. */
    public String get(AppProcess app, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(app) + path))
                    .timeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        for (AppProcess p : processes) {
            p.stop(Duration.ofSeconds(15));
        }
        storeProxy.close();
    }
}
