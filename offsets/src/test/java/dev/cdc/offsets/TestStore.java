package dev.cdc.offsets;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.LocalDatabase;
import dev.cdc.localstack.SqlScript;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;

/**
 * A real MariaDB (or MySQL) with the store database and its user, created the way production does it
 * (sql/store/store-user.sql), and the schema migrated by {@link SharedStore#open}.
 */
final class TestStore implements AutoCloseable {

    final LocalDatabase db;
    final StoreConfig config;
    final SharedStore store;

    private TestStore(LocalDatabase db, StoreConfig config) {
        this.db = db;
        this.config = config;
        this.store = SharedStore.open(config);
    }

    static TestStore start(Path dir) throws SQLException {
        return start(dir, DatabaseKind.MARIADB);
    }

    static TestStore start(Path dir, DatabaseKind kind) throws SQLException {
        LocalDatabase db = kind.start(dir.resolve("store-db"), 0);
        try {
            String password = randomPassword();
            try (Connection c = db.rootConnection()) {
                SqlScript.runResource(c, "sql/store/store-user.sql", Map.of("STORE_PASSWORD", password));
            }
            return new TestStore(db, new StoreConfig(db.jdbcUrl("cdc_store"), "cdc_store", password));
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** A root connection with cdc_store as default database, for checks behind the API's back. */
    Connection root() throws SQLException {
        Connection c = db.rootConnection();
        c.setCatalog("cdc_store");
        return c;
    }

    long count(String sql) throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String string(String sql) throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            db.close();
        }
    }

    static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "p" + HexFormat.of().formatHex(bytes);
    }

    /** Polls until the database clock says the lease has expired (never judged by the JVM clock). */
    static void awaitExpired(LeaseManager lease) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (lease.current().map(LeaseState::expired).orElse(true)) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("lease of " + lease.connectorName() + " did not expire within 10 s");
    }
}
