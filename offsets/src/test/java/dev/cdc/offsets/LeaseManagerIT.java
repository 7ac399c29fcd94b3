package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseManagerIT {

    static final Duration SHORT = Duration.ofMillis(300);
    static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TestStore t;

    @BeforeAll
    static void start() throws Exception {
        t = TestStore.start(work);
    }

    @AfterAll
    static void stop() {
        contenderStores.forEach(SharedStore::close);
        t.close();
    }

    LeaseManager manager(String connector, String owner, Duration ttl) {
        return new LeaseManager(t.store.dataSource(), connector, owner, ttl);
    }

    @Test
    void firstAcquisitionOnAnEmptyStoreHasEpochOne() {
        LeaseManager a = manager("empty", "a", LONG);
        assertEquals(Optional.of(new Lease("empty", "a", 1)), a.tryAcquire());
        LeaseState state = a.current().orElseThrow();
        assertEquals("a", state.ownerId());
        assertEquals(1, state.epoch());
        assertFalse(state.expired());
        assertEquals(state.acquiredAt(), state.renewedAt());
        long ttlMillis = Duration.between(state.acquiredAt(), state.expiresAt()).toMillis();
        assertTrue(ttlMillis >= 59_990 && ttlMillis <= 60_010, "expires_at = acquired_at + ttl, got " + ttlMillis + " ms");
    }

    @Test
    void secondOwnerCannotAcquireWhileTheLeaseIsValid() {
        LeaseManager a = manager("valid", "a", LONG);
        LeaseManager b = manager("valid", "b", LONG);
        assertTrue(a.tryAcquire().isPresent());
        assertEquals(Optional.empty(), b.tryAcquire());
        assertEquals(Optional.empty(), a.tryAcquire(), "not even the holder acquires a valid lease twice");
        assertEquals(1, a.current().orElseThrow().epoch());
    }

    @Test
    void afterTheTtlAnotherOwnerTakesOverWithTheNextEpochAndTheOldHolderCannotRenew() throws Exception {
        LeaseManager a = manager("expiry", "a", SHORT);
        LeaseManager b = manager("expiry", "b", SHORT);
        Lease leaseA = a.tryAcquire().orElseThrow();
        assertTrue(a.renew(leaseA));
        assertEquals(Optional.empty(), b.tryAcquire());

        TestStore.awaitExpired(a);
        Lease leaseB = b.tryAcquire().orElseThrow();
        assertEquals(new Lease("expiry", "b", 2), leaseB);
        assertFalse(a.renew(leaseA), "the old holder's renew updates no row");
        assertTrue(b.renew(leaseB));
        a.release(leaseA);
        assertFalse(b.current().orElseThrow().expired(), "a stale release does not end the new holder's lease");
        assertEquals("b", b.current().orElseThrow().ownerId());
    }

    @Test
    void expiryIsJudgedByTheDatabaseClock() throws Exception {
        LeaseManager a = manager("db-clock", "a", LONG);
        LeaseManager b = manager("db-clock", "b", LONG);
        assertTrue(a.tryAcquire().isPresent());
        t.execute("UPDATE cdc_lease SET expires_at = NOW(3) + INTERVAL 1 HOUR WHERE connector_name = 'db-clock'");
        assertEquals(Optional.empty(), b.tryAcquire());
        t.execute("UPDATE cdc_lease SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE connector_name = 'db-clock'");
        assertTrue(b.current().orElseThrow().expired());
        assertEquals(Optional.of(new Lease("db-clock", "b", 2)), b.tryAcquire());
    }

    @Test
    void renewExtendsTheLeaseFromNow() throws Exception {
        LeaseManager a = manager("renew", "a", Duration.ofSeconds(1));
        LeaseManager b = manager("renew", "b", Duration.ofSeconds(1));
        Lease lease = a.tryAcquire().orElseThrow();
        for (int i = 0; i < 8; i++) {
            Thread.sleep(200);
            assertTrue(a.renew(lease));
            assertEquals(Optional.empty(), b.tryAcquire(), "renewed every 200 ms, a 1 s lease does not expire");
        }
        LeaseState state = a.current().orElseThrow();
        assertTrue(state.renewedAt().isAfter(state.acquiredAt()));
    }

    @Test
    void releaseLetsAnotherOwnerAcquireAtOnce() {
        LeaseManager a = manager("release", "a", LONG);
        LeaseManager b = manager("release", "b", LONG);
        Lease leaseA = a.tryAcquire().orElseThrow();
        assertEquals(Optional.empty(), b.tryAcquire());
        a.release(leaseA);
        assertTrue(a.current().orElseThrow().expired());
        assertEquals(Optional.of(new Lease("release", "b", 2)), b.tryAcquire());
        assertFalse(a.renew(leaseA));
    }

    @Test
    void reacquiringBySameOwnerBumpsTheEpoch() {
        LeaseManager a = manager("same-owner", "a", LONG);
        Lease first = a.tryAcquire().orElseThrow();
        a.release(first);
        Lease second = a.tryAcquire().orElseThrow();
        assertEquals(first.epoch() + 1, second.epoch());
        assertFalse(a.renew(first), "the previous epoch of the same owner is fenced too");
        assertTrue(a.renew(second));
    }

    @Test
    void eightOwnersRacingForAnEmptyLeaseExactlyOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            String connector = "race-empty-" + round;
            List<Lease> winners = race(connector, LONG);
            assertEquals(1, winners.size(), "winners: " + winners);
            assertEquals(1, winners.get(0).epoch());
            LeaseState state = manager(connector, "x", LONG).current().orElseThrow();
            assertEquals(winners.get(0).ownerId(), state.ownerId());
            assertEquals(1, state.epoch());
        }
    }

    @Test
    void eightOwnersRacingForAnExpiredLeaseExactlyOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            String connector = "race-expired-" + round;
            LeaseManager old = manager(connector, "old", LONG);
            old.release(old.tryAcquire().orElseThrow());
            List<Lease> winners = race(connector, LONG);
            assertEquals(1, winners.size(), "winners: " + winners);
            assertEquals(2, winners.get(0).epoch());
            assertEquals(winners.get(0).ownerId(), old.current().orElseThrow().ownerId());
        }
    }

    static final int CONTENDERS = 8;
    static final List<SharedStore> contenderStores = new ArrayList<>();

    /** Each contender has its own pool, as separate instances would. */
    static synchronized SharedStore contender(int i) {
        while (contenderStores.size() <= i) {
            contenderStores.add(SharedStore.open(t.config));
        }
        return contenderStores.get(i);
    }

    private List<Lease> race(String connector, Duration ttl) throws Exception {
        int n = CONTENDERS;
        CyclicBarrier barrier = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Optional<Lease>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String owner = "owner-" + i;
                LeaseManager m = new LeaseManager(contender(i).dataSource(), connector, owner, ttl);
                results.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return m.tryAcquire();
                }));
            }
            List<Lease> winners = new ArrayList<>();
            for (Future<Optional<Lease>> r : results) {
                r.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A holder frozen inside a transaction (SIGSTOP) must not keep the lease row locked: MariaDB ends its session. */
    @Test
    void aWriterFrozenInsideATransactionDoesNotBlockTheTakeover() throws Exception {
        LeaseManager a = manager("frozen", "a", SHORT);
        a.tryAcquire().orElseThrow();
        try (java.sql.Connection frozen = t.store.dataSource().getConnection()) {
            assertTrue(IdleTransactionLimit.isMariaDb(frozen), "on MariaDB the session's idle_transaction_timeout ends it");
            frozen.setAutoCommit(false);
            try (java.sql.Statement s = frozen.createStatement()) {
                s.executeQuery("SELECT epoch FROM cdc_lease WHERE connector_name = 'frozen' FOR UPDATE").close();
            }
            // The "frozen" connection now sends nothing more while it holds the row lock.
            Thread.sleep(SHORT.toMillis() + 100);
            long started = System.nanoTime();
            Optional<Lease> taken = manager("frozen", "b", SHORT).tryAcquire();
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(taken.isPresent(), "the standby takes the expired lease");
            assertTrue(waitedMillis < (StorePools.IDLE_TRANSACTION_TIMEOUT_SECONDS + 2) * 1000L,
                    "the frozen session was ended after its idle-transaction timeout, not the lock wait timeout: " + waitedMillis + " ms");
            rollbackIgnoringFailure(frozen);
        }
    }

    private static void rollbackIgnoringFailure(java.sql.Connection c) {
        try {
            c.rollback();
        } catch (java.sql.SQLException expected) {
            // the server has closed it
        }
    }
}
