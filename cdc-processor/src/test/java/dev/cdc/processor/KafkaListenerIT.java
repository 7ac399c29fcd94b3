package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import dev.cdc.processor.EventProducer.Out;
import dev.cdc.processor.config.Topics;
import dev.cdc.processor.consumer.ChangeListener;
import dev.cdc.processor.metrics.ProcessorMetrics;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the processor consumes through micronaut-kafka. In the test JVM its listener is configured from the
 * settings (group, pattern, fixed consumer properties, placeholders resolved), micronaut-kafka runs its consumer,
 * the DLQ topic is not subscribed, and the group's offsets are committed once the records are applied. Then the
 * runnable jar is started the way the other modules' end-to-end tests start it ({@code java -jar}, system properties,
 * the password in the environment): it consumes, /prometheus shows the counters, and SIGTERM stops it.
 */
class KafkaListenerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;
    static LocalStack stack;
    static EventProducer producer;

    static final TestEvents.Table ITEMS = new TestEvents.Table("shop", "items")
            .column("id", "INT", "INT", false, true)
            .column("name", "VARCHAR", "VARCHAR(20)", false, false);

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(workDir);
        producer = new EventProducer(stack.kafka().bootstrapServers(), "listenerit-connector");
    }

    @AfterAll
    static void stopStack() {
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void listenerIsConfiguredFromTheSettingsAndCommitsAfterApplying() throws Exception {
        String prefix = "listenerit";
        String topic = ITEMS.topic(prefix);
        String dlq = prefix + ".dlq";
        // A DLQ record exists before the processor starts: the pattern subscription must not pick it up.
        producer.sendTransaction(List.of(EventProducer.raw(dlq, 0, "{\"id\":0}", "{\"v\":1}")));
        producer.sendTransaction(List.of(
                EventProducer.event(topic, 0, ITEMS.create("binlog.000001", 100, 1, 1, row("id", 1, "name", "one"))),
                EventProducer.event(topic, 1, ITEMS.create("binlog.000001", 200, 1, 1, row("id", 2, "name", "two")))));

        Map<String, Object> props = RunningProcessor.properties(stack, prefix);
        try (RunningProcessor processor = RunningProcessor.start(props)) {
            BeanDefinition<ChangeListener> definition = processor.context.getBeanDefinition(ChangeListener.class);
            ExecutableMethod<ChangeListener, Object> receive = definition.getRequiredMethod("receive", ConsumerRecords.class,
                    org.apache.kafka.clients.consumer.Consumer.class);
            AnnotationValue<KafkaListener> listener = receive.getAnnotation(KafkaListener.class);
            assertEquals(prefix + "-processor", listener.stringValue("groupId").orElseThrow());
            assertEquals("cdc-processor", listener.stringValue("clientId").orElseThrow());
            assertTrue(listener.isTrue("batch"));
            assertEquals(Duration.ofMillis(500), receive.getValue(KafkaListener.class, "pollTimeout", Duration.class).orElseThrow());
            List<String> patterns = receive.getDeclaredAnnotationValuesByType(Topic.class).stream()
                    .flatMap(t -> List.of(t.stringValues("patterns")).stream()).toList();
            assertEquals(List.of(processor.context.getBean(Topics.class).changeTopicPattern().pattern()), patterns);
            Map<String, String> consumerProps = listener.getProperties("properties", "name");
            assertEquals("read_committed", consumerProps.get("isolation.level"));
            assertEquals("false", consumerProps.get("enable.auto.commit"));
            assertEquals("1000", consumerProps.get("metadata.max.age.ms"), "kafka.metadata.max.age.ms of the test wins over the 10 s default");

            RunningProcessor.await(TIMEOUT, "both records applied", () -> processor.count(ProcessorMetrics.APPLIED, "op", "c") >= 2);

            ConsumerRegistry registry = processor.context.getBean(ConsumerRegistry.class);
            assertEquals(Set.of("cdc-processor"), registry.getConsumerIds());
            Set<TopicPartition> assigned = registry.getConsumerAssignment("cdc-processor");
            assertEquals(Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)), assigned);
            assertFalse(assigned.stream().anyMatch(tp -> tp.topic().equals(dlq)));
            assertFalse(registry.isPaused("cdc-processor"));

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
                RunningProcessor.await(TIMEOUT, "offsets committed up to the end of both partitions", () -> {
                    try {
                        return committed(admin, prefix + "-processor").equals(Map.of(new TopicPartition(topic, 0), 1L,
                                new TopicPartition(topic, 1), 1L));
                    } catch (Exception e) {
                        return false;
                    }
                });
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(prefix + "-processor")).all().get()
                        .get(prefix + "-processor");
                assertEquals(1, group.members().size());
                assertEquals("cdc-processor", group.members().iterator().next().clientId());
            }
            assertEquals(0, processor.count(ProcessorMetrics.DEAD_LETTERED));
        }
    }

    @Test
    void runnableJarConsumesAndReportsOnPrometheus() throws Exception {
        String prefix = "jarit";
        String topic = ITEMS.topic(prefix);
        Path jar = appJar();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = Files.createTempFile(workDir, "jar-stdout", ".txt");
        Path err = Files.createTempFile(workDir, "jar-stderr", ".txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcdc.topic-prefix=" + prefix,
                "-Ddatasources.default.url=" + stack.targetDb().url(),
                "-Ddatasources.default.username=" + stack.targetDb().user(),
                "-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                "-Dmicronaut.server.port=" + port,
                "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CDC_") || k.startsWith("DATASOURCES_") || k.startsWith("KAFKA_")
                || k.startsWith("MICRONAUT_"));
        pb.environment().put("DATASOURCES_DEFAULT_PASSWORD", stack.targetDb().password());

        List<Out> events = List.of(
                EventProducer.event(topic, null, ITEMS.create("binlog.000001", 100, 1, 1, row("id", 1, "name", "one"))),
                EventProducer.event(topic, null, ITEMS.create("binlog.000001", 200, 1, 1, row("id", 2, "name", "two"))));
        producer.sendTransaction(events);

        Process p = pb.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            String logs = "\nstdout:\n%s\nstderr:\n%s";
            awaitMetric(client, port, p, "cdc_processor_applied_total{op=\"c\"}", 2.0, out, err);
            // A connector failover re-sends them: skipped as duplicates.
            producer.sendTransaction(events);
            awaitMetric(client, port, p, "cdc_processor_duplicates_skipped_total", 2.0, out, err);
            Map<String, Double> metrics = prometheus(client, port);
            assertEquals(2.0, metrics.get("cdc_processor_applied_total{op=\"c\"}"), String.format(logs, Files.readString(out), Files.readString(err)));
            assertEquals(0.0, metrics.get("cdc_processor_dead_lettered_total"));
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().startsWith("{\"name\":\"cdc-processor\",\"status\":\"UP\""), health.body());
            assertTrue(health.body().contains("cdcProcessor"), health.body());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the processor jar did not stop within 30 s of SIGTERM; stdout:\n" + Files.readString(out));
            }
        }
        String stdout = Files.readString(out);
        assertTrue(stdout.contains("Kafka listener [ChangeListener#receive] subscribed to topics pattern"), stdout);
        assertTrue(stdout.contains("Consumer stopped"), stdout);
        assertFalse(stdout.contains(stack.targetDb().password()), "the password must never be logged");
    }

    private static void awaitMetric(HttpClient client, int port, Process p, String series, double expected, Path out, Path err)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Double last = null;
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                last = prometheus(client, port).get(series);
                if (last != null && last >= expected) {
                    return;
                }
            } catch (IOException notYet) {
                // The server is not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError(series + " is " + last + ", expected " + expected + "; alive=" + p.isAlive()
                + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
    }

    private static final Pattern SAMPLE = Pattern.compile("^(\\w+(?:\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);

    private static Map<String, Double> prometheus(HttpClient client, int port) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> samples = new HashMap<>();
        if (r.statusCode() != 200) {
            return samples;
        }
        Matcher m = SAMPLE.matcher(r.body());
        while (m.find()) {
            try {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            } catch (NumberFormatException ignored) {
                // Not a sample line.
            }
        }
        return samples;
    }

    private static Path appJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "cdc-processor-*-all.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        }
        throw new AssertionError("no target/cdc-processor-*-all.jar: it is built at package, before the integration tests");
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
