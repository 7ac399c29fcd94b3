package dev.cdc.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.localstack.LocalStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Starts connector instances in this JVM against a local stack, and reads what they published. */
final class ConnectorHarness {

    static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorHarness() {
    }

    static Map<String, Object> properties(LocalStack stack, String name, String instanceId) {
        Map<String, Object> p = new HashMap<>();
        p.put("cdc.name", name);
        p.put("cdc.instance-id", instanceId);
        p.put("cdc.source.url", stack.cdc().url());
        p.put("cdc.source.user", stack.cdc().user());
        p.put("cdc.source.password", stack.cdc().password());
        p.put("cdc.store.url", stack.store().url());
        p.put("cdc.store.user", stack.store().user());
        p.put("cdc.store.password", stack.store().password());
        p.put("cdc.capture.databases", "shop");
        p.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        p.put("cdc.kafka-startup-timeout", "10s");
        return p;
    }

    static ApplicationContext start(Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.run(properties);
        try {
            context.getBean(ConnectorService.class).start();
            return context;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Like {@link #start}, with the HTTP server (/health, /prometheus, management) listening on a free port. */
    static EmbeddedServer serve(Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("micronaut.server.port", -1);
        p.put("micronaut.server.host", "127.0.0.1");
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, p);
        try {
            server.getApplicationContext().getBean(ConnectorService.class).start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A change event as read back from Kafka. */
    record Event(String topic, int partition, long offset, JsonNode key, JsonNode value, Map<String, String> headers) {
        String op() {
            return value == null ? null : value.get("op").asText();
        }

        long[] position() {
            JsonNode s = value.get("source");
            String file = s.get("file").asText();
            return new long[] {Long.parseLong(file.substring(file.lastIndexOf('.') + 1)), s.get("pos").asLong(),
                    s.get("event").asLong(), s.get("row").asLong(), s.get("sub").asLong()};
        }
    }

    /** Reads all committed records of the topics matching {@code pattern} until {@code done} holds or the timeout ends. */
    static List<Event> readUntil(String bootstrap, String pattern, Predicate<List<Event>> done, Duration timeout) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", bootstrap, "group.id", "it-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed", "metadata.max.age.ms", 500);
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Pattern.compile(pattern));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(events)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new HashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(), new String(h.value())));
                    events.add(new Event(r.topic(), r.partition(), r.offset(), parse(r.key()), parse(r.value()), headers));
                }
            }
        }
        return events;
    }

    static long count(List<Event> events, String op) {
        return events.stream().filter(e -> op.equals(e.op())).count();
    }

    private static JsonNode parse(String s) {
        try {
            return s == null ? null : JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
