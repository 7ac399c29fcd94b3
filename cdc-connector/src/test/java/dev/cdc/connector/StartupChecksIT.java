package dev.cdc.connector;

import dev.cdc.contract.OperatorFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalMariaDb;
import dev.cdc.localstack.LocalStack;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each startup check fails with its one-line message naming the fix, before anything is written. */
class StartupChecksIT {

    @TempDir
    static Path work;
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(work);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String failure(Map<String, Object> properties) {
        OperatorFailure e = assertThrows(OperatorFailure.class, () -> ConnectorHarness.start(properties).close());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static Map<String, Object> props() {
        return ConnectorHarness.properties(stack, "checks", "check-1");
    }

    @Test
    void sourceUnreachable() {
        Map<String, Object> p = props();
        p.put("cdc.source.url", "jdbc:mysql://127.0.0.1:" + closedPort());
        String message = failure(p);
        assertTrue(message.contains("is unreachable") && message.contains("check cdc.source.url"), message);
    }

    @Test
    void wrongSourcePassword() {
        Map<String, Object> p = props();
        p.put("cdc.source.password", "not-the-password");
        String message = failure(p);
        assertTrue(message.contains("rejected user 'cdc'") && message.contains("cdc.source.password"), message);
        assertFalse(message.contains("not-the-password"), "the password is never printed");
    }

    @Test
    void missingReplicationGrants() throws Exception {
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS 'weak'@'%' IDENTIFIED BY 'weak-pw'");
            s.execute("GRANT SELECT ON *.* TO 'weak'@'%'");
        }
        Map<String, Object> p = props();
        p.put("cdc.source.user", "weak");
        p.put("cdc.source.password", "weak-pw");
        String message = failure(p);
        assertTrue(message.contains("User 'weak' lacks RELOAD, REPLICATION SLAVE, REPLICATION CLIENT"), message);
        assertTrue(message.contains("GRANT SELECT, RELOAD"), message);
    }

    @Test
    void binlogFormatAndRowImage() throws Exception {
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL binlog_format = 'MIXED'");
            try {
                String message = failure(props());
                assertTrue(message.startsWith("binlog_format is MIXED") && message.contains("set binlog_format=ROW"), message);
            } finally {
                s.execute("SET GLOBAL binlog_format = 'ROW'");
            }
            s.execute("SET GLOBAL binlog_row_image = 'MINIMAL'");
            try {
                String message = failure(props());
                assertTrue(message.startsWith("binlog_row_image is MINIMAL") && message.contains("set binlog_row_image=FULL"), message);
            } finally {
                s.execute("SET GLOBAL binlog_row_image = 'FULL'");
            }
        }
    }

    @Test
    void binaryLogOff() throws Exception {
        try (LocalMariaDb noBinlog = LocalMariaDb.start(work.resolve("no-binlog"), 0, "--skip-log-bin")) {
            try (Connection c = noBinlog.rootConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE USER 'cdc'@'%' IDENTIFIED BY 'pw'");
                s.execute("GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%'");
            }
            Map<String, Object> p = props();
            p.put("cdc.source.url", noBinlog.jdbcUrl(""));
            p.put("cdc.source.password", "pw");
            String message = failure(p);
            assertTrue(message.startsWith("Binary logging is off") && message.contains("log_bin"), message);
        }
    }

    @Test
    void storeUnreachable() {
        Map<String, Object> p = props();
        p.put("cdc.store.url", "jdbc:mysql://127.0.0.1:" + closedPort() + "/cdc_store");
        String message = failure(p);
        assertTrue(message.contains("cdc.store.url"), message);
    }

    @Test
    void kafkaUnreachableAfterABoundedWait() {
        Map<String, Object> p = props();
        p.put("kafka.bootstrap.servers", "127.0.0.1:" + closedPort());
        p.put("cdc.kafka-startup-timeout", "2s");
        long started = System.nanoTime();
        String message = failure(p);
        assertTrue(message.contains("did not answer within 2 s") && message.contains("check kafka.bootstrap.servers"), message);
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 30, "bounded wait");
    }

    @Test
    void storedOffsetPurgedFromTheSource() throws Exception {
        // Start once so that the store exists, then record an offset in a binlog file the source no longer has.
        ConnectorHarness.start(props()).close();
        try (Connection c = DriverManager.getConnection(stack.store().url(), stack.store().user(), stack.store().password());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO cdc_offset (connector_name, partition_key, offset_value, epoch, committed_at) VALUES ('purged', "
                    + "'[\"purged\",{\"server\":\"purged\"}]', '{\"file\":\"binlog.000000\",\"pos\":4711}', 1, NOW(3))");
        }
        Map<String, Object> p = ConnectorHarness.properties(stack, "purged", "check-2");
        String message = failure(p);
        assertTrue(message.contains("Stored offset binlog.000000:4711 of connector purged is no longer on the source"), message);
        assertTrue(message.contains("offsets reset --connector purged"), message);
    }

    @Test
    void missingNameIsAConfigError() {
        Map<String, Object> p = props();
        p.remove("cdc.name");
        assertTrue(failure(p).startsWith("cdc.name is not set"));
    }

    /** The process itself: one line on stderr, exit code 3 (a refused login). */
    @Test
    void applicationExitsWithOneLineAndTheCodeOfAnUnreachableServer() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dcdc.name=exit-check", "-Dmicronaut.server.port=-1",
                "-Dcdc.source.url=" + stack.cdc().url(), "-Dcdc.source.user=cdc",
                "-Dcdc.store.url=" + stack.store().url(),
                "-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                "dev.cdc.connector.Application"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CDC_SOURCE_PASSWORD", "wrong");
        pb.redirectOutput(new File(work.toFile(), "exit-check.out"));
        Process process = pb.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(3, process.exitValue(), "a refused login exits 3 (README \"Exit codes\"): " + stderr);
        assertTrue(stderr.lines().anyMatch(l -> l.startsWith("cdc-connector: The source 127.0.0.1:") && l.contains("rejected user 'cdc'")
                && l.contains(". Fix: check cdc.source.user")), stderr);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
