package dev.cdc.processor;

import static dev.cdc.processor.TestEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.localstack.LocalKafka;
import dev.cdc.localstack.LocalMariaDb;
import dev.cdc.localstack.LocalTls;
import dev.cdc.localstack.SqlScript;
import dev.cdc.processor.metrics.ProcessorMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target database requires TLS (its user is created {@code REQUIRE SSL}; the certificate comes from our own CA):
 * the processor applies changes through the documented driver settings
 * ({@code datasources.default.data-source-properties.sslMode} and the trust store), and refuses to start, in one line,
 * without TLS or without the trust store.
 */
class TargetTlsIT {

    private static final String PASSWORD = "t" + UUID.randomUUID().toString().replace("-", "");
    private static final TestEvents.Table ITEMS = new TestEvents.Table("shop", "tls_items")
            .column("id", "INT", "INT", false, true)
            .column("name", "VARCHAR", "VARCHAR(20)", false, false);

    @TempDir
    static Path work;
    static LocalTls tls;
    static LocalMariaDb db;
    static LocalKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        tls = LocalTls.create(work.resolve("tls"));
        db = LocalMariaDb.start(work.resolve("db"), 0, tls.serverArgs());
        kafka = LocalKafka.start(work.resolve("kafka"), 0);
        try (Connection c = db.rootConnection(); Statement s = c.createStatement()) {
            SqlScript.runResource(c, "sql/target-db/target-user.sql", Map.of("TARGET_PASSWORD", PASSWORD));
            s.execute("ALTER USER 'cdc_target'@'%' REQUIRE SSL");
            s.execute("ALTER USER 'cdc_target'@'localhost' REQUIRE SSL");
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static Map<String, Object> properties(String prefix) {
        Map<String, Object> p = new HashMap<>();
        p.put("cdc.topic-prefix", prefix);
        p.put("cdc.processor.group-id", prefix + "-processor");
        p.put("cdc.processor.startup-timeout", "5s");
        p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        p.put("kafka.metadata.max.age.ms", "1000");
        p.put("datasources.default.url", db.jdbcUrl("cdc_target"));
        p.put("datasources.default.username", "cdc_target");
        p.put("datasources.default.password", PASSWORD);
        p.put("datasources.default.data-source-properties.sslMode", "VERIFY_IDENTITY");
        p.put("datasources.default.data-source-properties.trustCertificateKeyStoreUrl", tls.trustStore().toUri().toString());
        p.put("datasources.default.data-source-properties.trustCertificateKeyStoreType", "PKCS12");
        p.put("datasources.default.data-source-properties.trustCertificateKeyStorePassword", tls.trustStorePassword());
        p.put("micronaut.server.port", -1);
        return p;
    }

    @Test
    void appliesThroughVerifiedTls() throws Exception {
        try (RunningProcessor processor = RunningProcessor.start(properties("tls"));
             EventProducer producer = new EventProducer(kafka.bootstrapServers(), "tls-it")) {
            producer.sendTransaction(List.of(EventProducer.event(ITEMS.topic("tls"), null,
                    ITEMS.create("binlog.000001", 100, 1, 1, row("id", 7, "name", "secure")))));
            RunningProcessor.await(Duration.ofSeconds(60), "the event applied", () -> processor.count(ProcessorMetrics.APPLIED) >= 1);
            try (Connection c = db.rootConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM cdc_target.tls_items WHERE id = 7")) {
                assertTrue(rs.next());
                assertEquals("secure", rs.getString(1));
            }
            String health = processor.get("/health").body();
            assertTrue(health.contains("\"status\":\"UP\""), health);
            assertFalse(health.contains(tls.trustStorePassword()) || health.contains(PASSWORD), "no secret on /health");
        }
    }

    @Test
    void withoutTlsTheTargetRefusesTheLogin() {
        Map<String, Object> p = properties("notls");
        p.put("datasources.default.data-source-properties.sslMode", "DISABLED");
        String line = Application.startupFailure(assertThrows(RuntimeException.class, () -> RunningProcessor.start(p))).getMessage();
        assertTrue(line.startsWith("cannot log in to the target database") && line.contains("Access denied"), line);
        assertFalse(line.contains(PASSWORD) || line.contains(tls.trustStorePassword()), "no secret in the message");
    }

    @Test
    void verificationWithoutTheTrustStoreIsRefused() {
        Map<String, Object> p = properties("notrust");
        p.remove("datasources.default.data-source-properties.trustCertificateKeyStoreUrl");
        p.remove("datasources.default.data-source-properties.trustCertificateKeyStoreType");
        p.remove("datasources.default.data-source-properties.trustCertificateKeyStorePassword");
        String line = Application.startupFailure(assertThrows(RuntimeException.class, () -> RunningProcessor.start(p))).getMessage();
        assertTrue(line.startsWith("TLS to the target database") && line.contains("trustCertificateKeyStoreUrl"), line);
        assertFalse(line.contains("\n"), line);
    }
}
