package dev.cdc.connector.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.offsets.Lease;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timing rules of {@link LeadershipLoop}, driven step by step on a manual clock (no threads of the loop run). */
class LeadershipLoopTest {

    static final Duration TTL = Duration.ofSeconds(2);

    final ManualClock clock = new ManualClock();
    final ScriptedLeases leases = new ScriptedLeases();
    final List<String> roleChanges = Collections.synchronizedList(new ArrayList<>());
    final List<RecordingSession> sessions = Collections.synchronizedList(new ArrayList<>());
    Function<Lease, RecordingSession> sessionFactory = RecordingSession::new;
    LeadershipLoop loop;

    LeadershipLoop loop() {
        ConnectorSettings.Lease timings = new ConnectorSettings.Lease();
        timings.setTtl(TTL);
        loop = new LeadershipLoop(leases, timings, (lease, listener) -> {
            RecordingSession s = sessionFactory.apply(lease);
            s.listener = listener;
            sessions.add(s);
            return s;
        }, (role, lease, reason) -> roleChanges.add(role + " " + lease.epoch()), clock);
        return loop;
    }

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aLateFailedRenewOfAnEarlierTermDoesNotStopTheCurrentTerm() throws Exception {
        LeadershipLoop loop = loop();
        leases.acquisitions.add(lease(1));
        loop.standbyStep();
        assertEquals(LeadershipLoop.Role.ACTIVE, loop.role());

        // The renew of epoch 1 hangs in the store ...
        CountDownLatch renewAnswered = new CountDownLatch(1);
        leases.renewAnswer = lease -> {
            await(renewAnswered);
            return false;
        };
        clock.advance(TTL.dividedBy(3));
        Thread lateRenew = new Thread(loop::renewStep, "late-renew");
        lateRenew.start();
        assertTrue(leases.awaitRenewCalls(1));

        // ... so the watchdog ends epoch 1, and the store (back again) gives this instance epoch 2.
        clock.advance(TTL);
        loop.checkRenewDeadline();
        assertEquals(LeadershipLoop.Role.STANDBY, loop.role());
        leases.acquisitions.add(lease(2));
        loop.standbyStep();
        assertEquals(2, loop.lease().orElseThrow().epoch());

        // The answer for epoch 1 ("no row matched": that term is over) arrives only now.
        renewAnswered.countDown();
        lateRenew.join(5_000);
        assertFalse(lateRenew.isAlive());

        assertEquals(LeadershipLoop.Role.ACTIVE, loop.role(), "a renew answer of epoch 1 must not end epoch 2");
        assertEquals(2, loop.lease().orElseThrow().epoch());
        assertFalse(sessions.get(1).stopped(), "the engine of epoch 2 keeps running");
        assertEquals(List.of("ACTIVE 1", "STANDBY 1", "ACTIVE 2"), roleChanges);
    }

    @Test
    void aLateSuccessfulRenewOfAnEarlierTermDoesNotExtendTheCurrentTerm() throws Exception {
        LeadershipLoop loop = loop();
        leases.acquisitions.add(lease(1));
        loop.standbyStep();
        clock.advance(TTL);
        loop.checkRenewDeadline();
        leases.acquisitions.add(lease(2));
        loop.standbyStep();
        Lease current = loop.lease().orElseThrow();

        // A renew of epoch 1 that started "now" answers true late: it says nothing about epoch 2.
        loop.renewResult(lease(1), true, clock.nanoTime() + TTL.toNanos());
        clock.advance(TTL);
        loop.checkRenewDeadline();
        assertEquals(LeadershipLoop.Role.STANDBY, loop.role(), "epoch 2 was never renewed: it must end at its own deadline");
        assertSame(current, sessions.get(1).lease());
        assertTrue(sessions.get(1).stopped());
    }

    @Test
    void engineCreationFailureEndsTheTermReleasesTheLeaseAndBacksOffExponentially() throws Exception {
        sessionFactory = lease -> {
            throw new IllegalStateException("bad producer setting");
        };
        LeadershipLoop loop = loop();
        leases.acquireAlways = true;
        List<Long> waitsMillis = new ArrayList<>();
        long lastAcquireAt = clock.nanoTime();
        int acquisitions = 0;
        while (acquisitions < 8) {
            int before = leases.acquireCalls.get();
            loop.standbyStep();
            if (leases.acquireCalls.get() > before) {
                acquisitions++;
                assertEquals(LeadershipLoop.Role.STANDBY, loop.role(), "a term without an engine ends at once");
                assertTrue(loop.isBackingOff());
                if (acquisitions > 1) {
                    waitsMillis.add(TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - lastAcquireAt));
                }
                lastAcquireAt = clock.nanoTime();
            }
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), waitsMillis, "capped exponential backoff");
        assertTrue(leases.awaitReleases(8), "every failed term released its lease: " + leases.released);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), leases.released);
        assertEquals("ACTIVE 1", roleChanges.get(0));
        assertEquals("STANDBY 1", roleChanges.get(1));
    }

    @Test
    void anEngineThatStopsOnItsOwnEndsTheTermAndReleasesTheLease() throws Exception {
        LeadershipLoop loop = loop();
        leases.acquisitions.add(lease(1));
        loop.standbyStep();
        RecordingSession s = sessions.get(0);
        assertTrue(s.started);

        s.listener.sessionStopped(s, false, "Kafka producer could not be initialised", new RuntimeException("timeout"));
        assertEquals(LeadershipLoop.Role.STANDBY, loop.role());
        assertTrue(leases.awaitReleases(1));
        assertEquals(List.of(1L), leases.released);

        // A stop report of an old session after a new term began changes nothing.
        clock.advance(LeadershipLoop.INITIAL_FAILURE_BACKOFF);
        leases.acquisitions.add(lease(2));
        loop.standbyStep();
        assertEquals(LeadershipLoop.Role.ACTIVE, loop.role());
        s.listener.sessionStopped(s, false, "closed", null);
        assertEquals(LeadershipLoop.Role.ACTIVE, loop.role());
        assertEquals(2, loop.lease().orElseThrow().epoch());
    }

    @Test
    void aStandbyCompetesAgainOnlyOnceItsPreviousEngineHasStopped() throws Exception {
        LeadershipLoop loop = loop();
        leases.acquisitions.add(lease(1));
        loop.standbyStep();
        RecordingSession first = sessions.get(0);
        first.engineEnded = false;
        clock.advance(TTL);
        loop.checkRenewDeadline();
        assertTrue(first.stopped());

        leases.acquisitions.add(lease(2));
        int calls = leases.acquireCalls.get();
        for (int i = 0; i < 5; i++) {
            loop.standbyStep();
        }
        assertEquals(calls, leases.acquireCalls.get(), "no lease asked for while the engine of epoch 1 still stops");
        assertEquals(LeadershipLoop.Role.STANDBY, loop.role());

        first.engineEnded = true;
        loop.standbyStep();
        assertEquals(LeadershipLoop.Role.ACTIVE, loop.role());
        assertEquals(2, loop.lease().orElseThrow().epoch());
    }

    @Test
    void anEngineThatNeverStopsIsWaitedForOnlyUpToTheLimit() throws Exception {
        LeadershipLoop loop = loop();
        leases.acquisitions.add(lease(1));
        loop.standbyStep();
        sessions.get(0).engineEnded = false;
        clock.advance(TTL);
        loop.checkRenewDeadline();

        leases.acquisitions.add(lease(2));
        loop.standbyStep();
        clock.advance(LeadershipLoop.PREVIOUS_ENGINE_STOP_LIMIT.minusMillis(1));
        loop.standbyStep();
        assertEquals(LeadershipLoop.Role.STANDBY, loop.role());
        clock.advance(Duration.ofMillis(1));
        loop.standbyStep();
        assertEquals(LeadershipLoop.Role.ACTIVE, loop.role(), "after the limit this instance competes again");
        assertEquals(2, loop.lease().orElseThrow().epoch());
    }

    @Test
    void aBackoffAfterAHealthyTermStartsSmallAgain() throws Exception {
        LeadershipLoop loop = loop();
        for (long epoch = 1; epoch <= 3; epoch++) {
            leases.acquisitions.add(lease(epoch));
            while (loop.role() != LeadershipLoop.Role.ACTIVE) {
                loop.standbyStep();
            }
            RecordingSession s = sessions.get(sessions.size() - 1);
            if (epoch == 3) {
                clock.advance(LeadershipLoop.HEALTHY_TERM);
                loop.renewResult(s.lease(), true, clock.nanoTime());
            }
            long failedAt = clock.nanoTime();
            s.listener.sessionStopped(s, false, "engine failed", null);
            int calls = leases.acquireCalls.get();
            long askedAt = clock.nanoTime();
            while (leases.acquireCalls.get() == calls) {
                askedAt = clock.nanoTime();
                loop.standbyStep();
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(askedAt - failedAt);
            assertEquals(epoch == 1 ? 1000 : epoch == 2 ? 2000 : 1000, waited, "backoff after the failure of epoch " + epoch);
        }
    }

    static Lease lease(long epoch) {
        return new Lease("unit", "a", epoch);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Time moves only when the test (or a wait of the loop) moves it. */
    static final class ManualClock implements LeadershipClock {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public void sleep(long millis) {
            advance(Duration.ofMillis(millis));
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    /** A lease store whose answers the test scripts. */
    static final class ScriptedLeases implements LeaseStore {
        final Deque<Lease> acquisitions = new ArrayDeque<>();
        final AtomicInteger acquireCalls = new AtomicInteger();
        final AtomicInteger renewCalls = new AtomicInteger();
        final List<Long> released = Collections.synchronizedList(new ArrayList<>());
        volatile boolean acquireAlways;
        volatile Function<Lease, Boolean> renewAnswer = lease -> true;
        private long nextEpoch = 1;

        @Override
        public synchronized Optional<Lease> tryAcquire() {
            acquireCalls.incrementAndGet();
            if (acquireAlways) {
                return Optional.of(lease(nextEpoch++));
            }
            return Optional.ofNullable(acquisitions.poll());
        }

        @Override
        public boolean renew(Lease lease) {
            renewCalls.incrementAndGet();
            return renewAnswer.apply(lease);
        }

        @Override
        public void release(Lease lease) {
            released.add(lease.epoch());
        }

        @Override
        public String connectorName() {
            return "unit";
        }

        boolean awaitRenewCalls(int n) throws InterruptedException {
            return awaitCondition(() -> renewCalls.get() >= n);
        }

        boolean awaitReleases(int n) throws InterruptedException {
            return awaitCondition(() -> released.size() >= n);
        }

        private static boolean awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }
    }

    /** A session that records what the loop asked of it. */
    static final class RecordingSession implements TermSession {
        final Lease lease;
        volatile TermSession.Listener listener;
        volatile boolean started;
        volatile String stoppedBecause;
        /** What {@link #awaitStopped} answers (at once): whether the engine's threads have ended. */
        volatile boolean engineEnded = true;

        RecordingSession(Lease lease) {
            this.lease = lease;
        }

        boolean stopped() {
            return stoppedBecause != null;
        }

        @Override
        public Lease lease() {
            return lease;
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public void stop(String reason) {
            if (stoppedBecause == null) {
                stoppedBecause = reason;
            }
        }

        @Override
        public boolean awaitStopped(long millis) {
            return engineEnded;
        }
    }
}
