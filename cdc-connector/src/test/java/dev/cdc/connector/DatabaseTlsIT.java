package dev.cdc.connector;

import dev.cdc.contract.OperatorFailure;
import static dev.cdc.connector.ConnectorHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.connector.ConnectorHarness.Event;
import dev.cdc.localstack.LocalKafka;
import dev.cdc.localstack.LocalMariaDb;
import dev.cdc.localstack.LocalTls;
import dev.cdc.localstack.SqlScript;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.sql.Connection;
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
 * The source and the shared store on a MariaDB server whose users are created {@code REQUIRE SSL}, with a certificate
 * from our own CA: the connector captures through {@code cdc.source.tls.*} and {@code cdc.store.tls.*} (startup checks,
 * Debezium's snapshot and binlog connections, the store's pools), and each wrong TLS setting is refused at start with
 * one line naming the key to fix.
 */
class DatabaseTlsIT {

    private static final String NAME = "it-tls";

    @TempDir
    static Path work;
    static LocalTls tls;
    static LocalMariaDb db;
    static LocalKafka kafka;
    static final String CDC_PASSWORD = "c" + UUID.randomUUID().toString().replace("-", "");
    static final String STORE_PASSWORD = "s" + UUID.randomUUID().toString().replace("-", "");

    @BeforeAll
    static void start() throws Exception {
        tls = LocalTls.create(work.resolve("tls"));
        db = LocalMariaDb.start(work.resolve("db"), 0, tls.serverArgs());
        kafka = LocalKafka.start(work.resolve("kafka"), 0);
        try (Connection c = db.rootConnection(); Statement s = c.createStatement()) {
            SqlScript.runResource(c, "sql/source/cdc-user.sql", Map.of("CDC_PASSWORD", CDC_PASSWORD));
            SqlScript.runResource(c, "sql/store/store-user.sql", Map.of("STORE_PASSWORD", STORE_PASSWORD));
            for (String user : List.of("cdc", "cdc_store")) {
                s.execute("ALTER USER '" + user + "'@'%' REQUIRE SSL");
                s.execute("ALTER USER '" + user + "'@'localhost' REQUIRE SSL");
            }
            SqlScript.runResource(c, "sql/source/demo-schema.sql", Map.of());
            SqlScript.runResource(c, "sql/source/demo-data.sql", Map.of());
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

    static Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("cdc.name", NAME);
        p.put("cdc.instance-id", "a");
        p.put("cdc.source.url", db.jdbcUrl(""));
        p.put("cdc.source.user", "cdc");
        p.put("cdc.source.password", CDC_PASSWORD);
        p.put("cdc.store.url", db.jdbcUrl("cdc_store"));
        p.put("cdc.store.user", "cdc_store");
        p.put("cdc.store.password", STORE_PASSWORD);
        p.put("cdc.capture.databases", "shop");
        p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        p.put("cdc.kafka-startup-timeout", "10s");
        p.put("cdc.source.tls.mode", "VERIFY_IDENTITY");
        p.put("cdc.source.tls.trust-store", tls.trustStore().toString());
        p.put("cdc.source.tls.trust-store-password", tls.trustStorePassword());
        p.put("cdc.store.tls.mode", "VERIFY_CA");
        p.put("cdc.store.tls.trust-store", tls.trustStore().toString());
        p.put("cdc.store.tls.trust-store-password", tls.trustStorePassword());
        return p;
    }

    @Test
    void capturesThroughVerifiedTlsToSourceAndStore() throws Exception {
        ApplicationContext connector = ConnectorHarness.start(properties());
        try {
            String topics = NAME + "\\.shop\\..*";
            List<Event> snapshot = ConnectorHarness.readUntil(kafka.bootstrapServers(), topics, ev -> count(ev, "r") >= 11, Duration.ofSeconds(90));
            assertEquals(11, count(snapshot, "r"), "the snapshot, read over TLS");
            try (Connection c = db.rootConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('tls@example.com', 'Tls', 1.00, NOW(6))");
            }
            List<Event> all = ConnectorHarness.readUntil(kafka.bootstrapServers(), topics, ev -> count(ev, "c") >= 1, Duration.ofSeconds(60));
            assertEquals(1, count(all, "c"), "a change streamed from the binlog over TLS");
            // The offsets reached the store, whose user connects only over TLS.
            try (Connection c = db.rootConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM cdc_store.cdc_offset WHERE connector_name = '" + NAME + "'")) {
                rs.next();
                assertTrue(rs.getInt(1) >= 1, "an offset was committed to the store");
            }
        } finally {
            connector.close();
        }
    }

    @Test
    void aUserThatRequiresTlsIsRefusedWithoutIt() {
        Map<String, Object> p = properties();
        p.put("cdc.source.tls.mode", "DISABLED");
        OperatorFailure e = assertThrows(OperatorFailure.class, () -> ConnectorHarness.start(p));
        assertTrue(e.getMessage().contains("rejected user 'cdc'") && e.getMessage().contains("cdc.source.tls.mode"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void verificationWithoutTheTrustStoreIsRefused() {
        Map<String, Object> p = properties();
        p.remove("cdc.source.tls.trust-store");
        p.remove("cdc.source.tls.trust-store-password");
        OperatorFailure e = assertThrows(OperatorFailure.class, () -> ConnectorHarness.start(p));
        assertTrue(e.getMessage().startsWith("TLS to the source") && e.getMessage().contains("cdc.source.tls.trust-store"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void theStoreRefusesAConnectionWithoutTls() {
        Map<String, Object> p = properties();
        p.put("cdc.store.tls.mode", "DISABLED");
        OperatorFailure e = assertThrows(OperatorFailure.class, () -> ConnectorHarness.start(p));
        assertTrue(e.getMessage().contains("refused user cdc_store"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void aBadTlsSettingNamesTheKey() {
        Map<String, Object> p = properties();
        p.put("cdc.store.tls.mode", "ON");
        OperatorFailure e = assertThrows(OperatorFailure.class, () -> ConnectorHarness.start(p));
        assertEquals("cdc.store.tls.mode 'ON' is not a TLS mode. Fix: use one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY.", e.getMessage());
        Map<String, Object> q = properties();
        q.put("cdc.source.tls.trust-store", work.resolve("missing.p12").toString());
        e = assertThrows(OperatorFailure.class, () -> ConnectorHarness.start(q));
        assertTrue(e.getMessage().startsWith("cdc.source.tls.trust-store '") && e.getMessage().contains("is not a readable file"), e.getMessage());
    }

    private static void assertOneLine(Exception e) {
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(!e.getMessage().contains(tls.trustStorePassword()) && !e.getMessage().contains(CDC_PASSWORD)
                && !e.getMessage().contains(STORE_PASSWORD), "no secret in the message");
    }
}
