package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedStoreIT {

    @TempDir
    static Path work;
    static TestStore t;

    @BeforeAll
    static void start() throws Exception {
        t = TestStore.start(work);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void migrationsCreateTheFourTablesAsInnoDbUtf8mb4() throws Exception {
        Map<String, String> tables = new HashMap<>();
        try (Connection c = t.root(); PreparedStatement ps = c.prepareStatement(
                "SELECT table_name, engine, table_collation FROM information_schema.tables WHERE table_schema = 'cdc_store'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
            }
        }
        for (String table : new String[] {"cdc_lease", "cdc_offset", "cdc_offset_log", "cdc_schema_history"}) {
            assertEquals("InnoDB/utf8mb4_bin", tables.get(table), table + " in " + tables);
        }
        assertEquals(1, t.count("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success = 1"));
    }

    @Test
    void openingAgainIsANoOpAndTheDataSourceWorks() throws Exception {
        try (SharedStore again = SharedStore.open(t.config); Connection c = again.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cdc_lease"); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
        }
        // One row per migration (db/store), each applied once however often the store is opened.
        long migrations;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/store"))) {
            migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
        assertEquals(migrations, t.count("SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL"));
    }

    @Test
    void sessionsRunInUtcSoThatStoredTimesAreInstants() throws Exception {
        try (Connection c = t.store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT @@session.time_zone");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals("+00:00", rs.getString(1));
        }
    }

    @Test
    void closedPortGivesOneLineNamingTheUrlAndTheFix() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:mysql://127.0.0.1:" + port + "/cdc_store";
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> SharedStore.open(new StoreConfig(url, "cdc_store", "secret-pw")));
        assertEquals("Shared store " + url + " unreachable (Connection refused). Fix: check cdc.store.url and that the database is running.",
                e.getMessage());
    }

    @Test
    void wrongPasswordGivesOneLineNamingTheUserSettingsWithoutThePassword() {
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> SharedStore.open(new StoreConfig(t.config.url(), "cdc_store", "wrong-secret")));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertFalse(message.contains("wrong-secret"), message);
        assertTrue(message.startsWith("Shared store " + t.config.url() + " refused user cdc_store (Access denied for user 'cdc_store'"), message);
        assertTrue(message.endsWith("). Fix: check cdc.store.user and cdc.store.password."), message);
    }

    @Test
    void passwordInTheUrlIsNotShownInTheMessage() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:mysql://127.0.0.1:" + port + "/cdc_store?user=cdc_store&password=url-secret";
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> SharedStore.open(new StoreConfig(url, "cdc_store", "")));
        assertFalse(e.getMessage().contains("url-secret"), e.getMessage());
        assertTrue(e.getMessage().contains("password=****"), e.getMessage());
    }

    @Test
    void missingDatabaseNamesTheFix() {
        String url = t.db.jdbcUrl("no_such_store");
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> SharedStore.open(new StoreConfig(url, "root", "")));
        assertTrue(e.getMessage().startsWith("Shared store " + url + " has no such database ("), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
