package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.MySqlBinaries;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer frozen inside a fenced transaction on a MySQL store (which has no idle_transaction_timeout): the standby
 * still takes over shortly after the lease expired, and the frozen writer can commit nothing.
 */
class MySqlFrozenWriterIT {

    static final Duration TTL = Duration.ofSeconds(2);

    @TempDir
    static Path work;
    static TestStore t;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        t = TestStore.start(work, DatabaseKind.MYSQL);
    }

    @AfterAll
    static void stop() {
        if (t != null) {
            t.close();
        }
    }

    LeaseManager manager(String connector, String owner) {
        return new LeaseManager(t.store.dataSource(), connector, owner, TTL);
    }

    /** A fenced writer's own pool, as FencedOffsetBackingStore and FencedSchemaHistory open it. */
    static HikariDataSource fencedPool(String name) {
        return StorePools.open(t.config, name, 2, false);
    }

    @Test
    void aWriterFrozenInsideAFencedTransactionDoesNotBlockTheTakeoverAndCommitsNothing() throws Exception {
        Lease stale = manager("frozen", "a").tryAcquire().orElseThrow();
        try (HikariDataSource pool = fencedPool("frozen-writer");
             Connection frozen = pool.getConnection();
             IdleTransactionLimit limit = IdleTransactionLimit.on(frozen)) {
            assertFalse(IdleTransactionLimit.isMariaDb(frozen));
            Fence.check(frozen, "frozen", "a", stale.epoch());
            try (PreparedStatement ps = frozen.prepareStatement("INSERT INTO cdc_offset (connector_name, partition_key, offset_value, epoch,"
                    + " committed_at) VALUES ('frozen', 'p', 'stale', ?, NOW(3))")) {
                ps.setLong(1, stale.epoch());
                ps.executeUpdate();
            }
            long frozenAt = System.nanoTime();
            // From here the writer sends nothing while its transaction holds the lease row lock.
            TestStore.awaitExpired(manager("frozen", "a"));

            long started = System.nanoTime();
            Optional<Lease> taken = manager("frozen", "b").tryAcquire();
            long waitedMillis = millisSince(started);
            long sinceFreezeMillis = millisSince(frozenAt);
            assertEquals(Optional.of(new Lease("frozen", "b", stale.epoch() + 1)), taken,
                    "the standby takes the expired lease (waited " + waitedMillis + " ms for the lease row)");
            assertTrue(sinceFreezeMillis < TTL.toMillis() + 5_000,
                    "taken over " + sinceFreezeMillis + " ms after the freeze, not after the lock wait timeout");
            System.out.printf("frozen writer: lease taken over %d ms after the freeze (acquisition waited %d ms)%n", sinceFreezeMillis,
                    waitedMillis);

            // The writer thaws: its session was closed and rolled back by the server.
            assertThrows(SQLException.class, frozen::commit);
        }
        assertEquals(0, t.count("SELECT COUNT(*) FROM cdc_offset WHERE connector_name = 'frozen'"), "nothing of the frozen transaction committed");

        // Retrying on a new connection, the stale writer is fenced.
        FencedOffsetBackingStore retry = new FencedOffsetBackingStore(t.config, "frozen", "a", stale.epoch());
        retry.start();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> retry.set(Map.of(utf8("p"), utf8("{\"pos\":1}")), null).get(30, TimeUnit.SECONDS));
            assertInstanceOf(FencingException.class, e.getCause());
        } finally {
            retry.stop();
        }
        assertEquals(0, t.count("SELECT COUNT(*) FROM cdc_offset WHERE connector_name = 'frozen'"));
        assertEquals("b", manager("frozen", "b").current().orElseThrow().ownerId());
    }

    /** The short limit lasts for the transaction only: an idle pooled connection is not closed by the server. */
    @Test
    void afterTheTransactionThePooledConnectionHasTheServersWaitTimeoutAndSurvivesIdling() throws Exception {
        Lease lease = manager("idle", "a").tryAcquire().orElseThrow();
        try (HikariDataSource pool = fencedPool("idle-writer")) {
            long sessionId;
            try (Connection c = pool.getConnection(); IdleTransactionLimit limit = IdleTransactionLimit.on(c)) {
                assertEquals(StorePools.IDLE_TRANSACTION_TIMEOUT_SECONDS, longValue(c, "SELECT @@SESSION.wait_timeout"));
                Fence.check(c, "idle", "a", lease.epoch());
                c.commit();
                sessionId = longValue(c, "SELECT CONNECTION_ID()");
            }
            try (Connection c = pool.getConnection()) {
                assertEquals(longValue(c, "SELECT @@GLOBAL.wait_timeout"), longValue(c, "SELECT @@SESSION.wait_timeout"));
                c.commit();
            }
            Thread.sleep((StorePools.IDLE_TRANSACTION_TIMEOUT_SECONDS + 2) * 1000L);
            try (Connection c = pool.getConnection()) {
                assertEquals(sessionId, longValue(c, "SELECT CONNECTION_ID()"), "the same session, still open after idling in the pool");
                c.commit();
            }
        }
    }

    private static long longValue(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
