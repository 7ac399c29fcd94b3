package dev.cdc.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack with MySQL as the source and as the target + store server (fetched from Debian's archive if needed). */
class LocalMySqlIT {

    @TempDir
    static Path work;
    static LocalStack stack;

    @BeforeAll
    static void start() {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        long started = System.nanoTime();
        stack = LocalStack.start(work, DatabaseKind.MYSQL, DatabaseKind.MYSQL);
        System.out.printf("LocalMySqlIT: two MySQL servers and Kafka up in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void sourceIsMySqlWithRowBinlogAndGtids() throws Exception {
        LocalStack.Credentials cdc = stack.cdc();
        try (Connection c = DriverManager.getConnection(cdc.url(), cdc.user(), cdc.password()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT VERSION(), @@log_bin, @@binlog_format, @@binlog_row_image, @@gtid_mode, "
                    + "@@enforce_gtid_consistency, @@server_id, @@gtid_executed")) {
                rs.next();
                assertTrue(!rs.getString(1).contains("MariaDB"), "a MySQL server: " + rs.getString(1));
                assertEquals(1, rs.getInt(2));
                assertEquals("ROW", rs.getString(3));
                assertEquals("FULL", rs.getString(4));
                assertEquals("ON", rs.getString(5));
                assertEquals("ON", rs.getString(6));
                assertEquals(1, rs.getInt(7));
                assertTrue(rs.getString(8).matches("[0-9a-f-]{36}:1-\\d+"), "a MySQL GTID set after the user setup: " + rs.getString(8));
            }
            try (ResultSet rs = s.executeQuery("SHOW BINARY LOG STATUS")) {
                assertTrue(rs.next(), "the cdc user may read the binlog position");
                assertTrue(rs.getString("File").startsWith("binlog."));
            }
        }
    }

    @Test
    void targetAndStoreUsersLogInOnTheMySqlTarget() throws Exception {
        for (LocalStack.Credentials user : new LocalStack.Credentials[] {stack.targetDb(), stack.store()}) {
            try (Connection c = DriverManager.getConnection(user.url(), user.user(), user.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                assertTrue(!rs.getString(1).contains("MariaDB"));
            }
        }
        assertEquals(DatabaseKind.MYSQL, stack.target().kind());
    }

    @Test
    void demoSchemaLoadsAndTheServerRestarts() throws Exception {
        stack.loadDemoSchema();
        stack.source().restart();
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shop.customers")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }
}
