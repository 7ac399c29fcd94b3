package dev.cdc.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalStack;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: an operator starts the processor with a bad setting. It exits non-zero after one line on stderr that
 * names the problem and the fix, and never shows the password.
 */
class StartupCheckIT {

    @TempDir
    static Path workDir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(workDir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    record Result(int exitCode, List<String> stderr, String stdout) {
    }

    @Test
    void wrongTargetPasswordIsOneLineAndExitsNonZero() throws Exception {
        String secret = "wrong-Secret-4711";
        Result r = run("-Dcdc.topic-prefix=startup", "-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                "-Ddatasources.default.url=" + stack.targetDb().url(), "-Ddatasources.default.username=cdc_target",
                "-Ddatasources.default.password=" + secret);
        assertEquals(3, r.exitCode(), "a refused login exits 3 (README \"Exit codes\"): " + r);
        assertEquals(1, r.stderr().size(), r.toString());
        String line = r.stderr().get(0);
        assertTrue(line.startsWith("cdc-processor: cannot log in to the target database " + stack.targetDb().url() + " as 'cdc_target' (Access denied for user 'cdc_target'"), line);
        assertTrue(line.endsWith("Fix: set datasources.default.username and datasources.default.password "
                + "(env DATASOURCES_DEFAULT_USERNAME / DATASOURCES_DEFAULT_PASSWORD) to the target user's credentials."), line);
        assertFalse(line.contains(secret) || r.stdout().contains(secret), "the password must never be printed");
    }

    @Test
    void missingTopicPrefixIsOneLine() throws Exception {
        Result r = run("-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                "-Ddatasources.default.url=" + stack.targetDb().url(), "-Ddatasources.default.username=" + stack.targetDb().user(),
                "-Ddatasources.default.password=" + stack.targetDb().password());
        assertEquals(2, r.exitCode(), "a configuration error exits 2: " + r);
        assertEquals(List.of("cdc-processor: cdc.topic-prefix is not set. Fix: set it to the connector's topic prefix (the first part of "
                + "<prefix>.<db>.<table>), e.g. -Dcdc.topic-prefix=demo or CDC_TOPIC_PREFIX=demo."), r.stderr(), r.toString());
    }

    @Test
    void unreachableKafkaIsOneLineAfterTheBoundedWait() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long started = System.nanoTime();
        Result r = run("-Dcdc.topic-prefix=startup", "-Dkafka.bootstrap.servers=127.0.0.1:" + port, "-Dcdc.processor.startup-timeout=3s",
                "-Ddatasources.default.url=" + stack.targetDb().url(), "-Ddatasources.default.username=" + stack.targetDb().user(),
                "-Ddatasources.default.password=" + stack.targetDb().password());
        assertEquals(3, r.exitCode(), "an unreachable server exits 3: " + r);
        assertEquals(1, r.stderr().size(), r.toString());
        String line = r.stderr().get(0);
        assertTrue(line.startsWith("cdc-processor: Kafka at 127.0.0.1:" + port + " did not answer within 3 s"), line);
        assertTrue(line.endsWith("Fix: start the broker, or correct kafka.bootstrap.servers (env KAFKA_BOOTSTRAP_SERVERS)."), line);
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 60);
    }

    @Test
    void startsWithSettingsFromTheEnvironmentAndReportsHealthy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command("-Dmicronaut.server.port=" + port)).redirectOutput(out.toFile()).redirectError(err.toFile());
        cleanEnvironment(pb);
        pb.environment().put("CDC_TOPIC_PREFIX", "startup");
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        pb.environment().put("DATASOURCES_DEFAULT_URL", stack.targetDb().url());
        pb.environment().put("DATASOURCES_DEFAULT_USERNAME", stack.targetDb().user());
        pb.environment().put("DATASOURCES_DEFAULT_PASSWORD", stack.targetDb().password());
        Process p = pb.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build();
            String body = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("cdcProcessor")) {
                        body = r.body();
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // The server is not listening yet.
                }
                Thread.sleep(200);
            }
            assertTrue(body != null && body.startsWith("{\"name\":\"cdc-processor\",\"status\":\"UP\""),
                    body + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            assertFalse(Files.readString(out).contains(stack.targetDb().password()), "the password must never be logged");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the processor did not stop within 30 s of SIGTERM");
            }
        }
        assertTrue(Files.readString(out).contains("Consumer stopped"), Files.readString(out));
    }

    private static List<String> command(String... systemProperties) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(List.of(systemProperties));
        cmd.add(Application.class.getName());
        return cmd;
    }

    private static void cleanEnvironment(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("CDC_") || k.startsWith("DATASOURCES_") || k.startsWith("KAFKA_")
                || k.startsWith("MICRONAUT_"));
    }

    private static Result run(String... systemProperties) throws Exception {
        List<String> props = new ArrayList<>(List.of(systemProperties));
        props.add(0, "-Dmicronaut.server.port=-1");
        List<String> cmd = command(props.toArray(String[]::new));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        cleanEnvironment(pb);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the processor did not exit; stdout:\n" + Files.readString(out));
        }
        List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        return new Result(p.exitValue(), stderr, Files.readString(out));
    }

}
