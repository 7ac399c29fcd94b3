package dev.cdc.connector.leader;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.publish.KafkaFencedException;
import dev.cdc.offsets.FencingEvents;
import dev.cdc.offsets.FencingException;
import dev.cdc.offsets.Lease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership of one connector instance (docs/design.md, "Leadership"):
 * <ol>
 * <li>One writer: an engine runs only while this instance holds the lease; each acquisition bumps the epoch.</li>
 * <li>Renew or stop: the holder renews every ttl/3; a renew that finds the lease taken, or no successful
 * renew for ttl minus a safety margin (monotonic clock, checked by a watchdog that a hung store call cannot
 * block), stops the engine at once and returns to standby.</li>
 * <li>A result belongs to its term: a renew answer, an engine stop or a fencing refusal only affects the term
 * (lease) it was made for; a late answer of an earlier term never ends or extends the current one.</li>
 * <li>No idle leader: when the engine or its Kafka producer cannot be created or started, or the engine stops on
 * its own, the term ends at once and the lease is released, so that a healthy standby takes over; this instance
 * competes again only after a capped exponential backoff.</li>
 * <li>Fenced writes: a fenced offset or schema-history write, or a fenced Kafka producer, also ends the term.</li>
 * </ol>
 * A standby only polls the lease; it opens no binlog connection. It competes for the lease only once its previous
 * term's engine has stopped, since a second engine of the connector in one process clashes with the first.
 */
public final class LeadershipLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeadershipLoop.class);
    static final Duration INITIAL_FAILURE_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_FAILURE_BACKOFF = Duration.ofSeconds(30);
    /** A term that ran this long before its engine failed counts as healthy: the next backoff starts small again. */
    static final Duration HEALTHY_TERM = MAX_FAILURE_BACKOFF.multipliedBy(2);
    private static final long ACTIVE_POLL_MILLIS = 50;
    /** Longer than the engine's own bounded stop (EngineSession.STOP_LIMIT). */
    static final Duration PREVIOUS_ENGINE_STOP_LIMIT = Duration.ofSeconds(120);

    public enum Role { STANDBY, ACTIVE }

    /** Builds the session (engine and producer) of a new term. */
    public interface SessionFactory {
        TermSession create(Lease lease, TermSession.Listener listener);
    }

    /** Told about every role change (metrics, health). */
    public interface Observer {
        void roleChanged(Role role, Lease lease, String reason);
    }

    private final LeaseStore leases;
    private final ConnectorSettings.Lease timings;
    private final SessionFactory sessions;
    private final Observer observer;
    private final LeadershipClock clock;
    private final ScheduledExecutorService watchdog;
    /** Renewals and releases run here, one at a time, so a release is never overtaken by a renew of the same term. */
    private final ScheduledExecutorService storeCalls;
    private final FencingEvents.Subscription fencingSubscription;
    private final Thread loopThread;

    private volatile boolean running = true;
    private volatile Role role = Role.STANDBY;
    /** The current (or last) term. Compared by identity: each acquisition yields a new Lease object. */
    private volatile Lease lease;
    private volatile TermSession session;
    private volatile long lastRenewOkNanos;
    private volatile long nextRenewNanos;
    private volatile long termStartedNanos;
    private volatile long competeAgainAtNanos;
    private volatile boolean backingOff;
    /** Whether, and since when, this standby waits for the previous term's engine to stop. */
    private boolean waitingForPreviousEngine;
    private long previousStopWaitStartedNanos;
    /** A previous term's engine that did not stop within the limit: reported once, then no longer waited for. */
    private TermSession notWaitedFor;
    private Duration failureBackoff = INITIAL_FAILURE_BACKOFF;
    private long lastStoreWarningNanos;

    public LeadershipLoop(LeaseStore leases, ConnectorSettings.Lease timings, SessionFactory sessions, Observer observer) {
        this(leases, timings, sessions, observer, LeadershipClock.SYSTEM);
    }

    LeadershipLoop(LeaseStore leases, ConnectorSettings.Lease timings, SessionFactory sessions, Observer observer, LeadershipClock clock) {
        this.leases = leases;
        this.timings = timings;
        this.sessions = sessions;
        this.observer = observer;
        this.clock = clock;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lease-watchdog-" + leases.connectorName()));
        this.storeCalls = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lease-renew-" + leases.connectorName()));
        this.fencingSubscription = FencingEvents.subscribe(this::onFenced);
        this.loopThread = daemon(this::run, "leadership-" + leases.connectorName());
    }

    public void start() {
        loopThread.start();
        watchdog.scheduleAtFixedRate(this::checkRenewDeadline, 50, 50, TimeUnit.MILLISECONDS);
        storeCalls.scheduleWithFixedDelay(this::renewStep, 20, 20, TimeUnit.MILLISECONDS);
    }

    public Role role() {
        return role;
    }

    public Optional<Lease> lease() {
        return role == Role.ACTIVE ? Optional.ofNullable(lease) : Optional.empty();
    }

    /** True while this instance waits out the backoff after a term whose engine failed. */
    public boolean isBackingOff() {
        return backingOff && clock.nanoTime() < competeAgainAtNanos;
    }

    private void run() {
        while (running) {
            try {
                if (role == Role.STANDBY) {
                    standbyStep();
                } else {
                    clock.sleep(ACTIVE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Leadership loop of connector {}: {}", leases.connectorName(), e.toString(), e);
                sleepQuietly(timings.getAcquireInterval().toMillis());
            }
        }
    }

    void standbyStep() throws InterruptedException {
        long waitNanos = competeAgainAtNanos - clock.nanoTime();
        if (backingOff && waitNanos > 0) {
            clock.sleep(Math.max(1, Math.min(timings.getAcquireInterval().toMillis(), TimeUnit.NANOSECONDS.toMillis(waitNanos))));
            return;
        }
        backingOff = false;
        if (previousEngineStopping()) {
            return;
        }
        long attemptStarted = clock.nanoTime();
        Optional<Lease> acquired;
        try {
            acquired = leases.tryAcquire();
        } catch (RuntimeException e) {
            warnStore("cannot reach the store to take the lease", e);
            clock.sleep(timings.getAcquireInterval().toMillis());
            return;
        }
        if (acquired.isEmpty()) {
            clock.sleep(timings.getAcquireInterval().toMillis());
            return;
        }
        Lease won = acquired.get();
        if (clock.nanoTime() - attemptStarted > timings.getRenewInterval().toNanos()) {
            // A slow answer (e.g. the store just came back) leaves little of the ttl we may count on: renew first.
            long renewStarted = clock.nanoTime();
            boolean renewed;
            try {
                renewed = leases.renew(won);
            } catch (RuntimeException e) {
                renewed = false;
            }
            if (!renewed) {
                log.warn("Connector {}: took lease epoch {} but could not confirm it in time; staying STANDBY", won.connectorName(), won.epoch());
                return;
            }
            attemptStarted = renewStarted;
        }
        becomeActive(won, attemptStarted);
    }

    /**
     * True while the previous term's engine is still stopping (waits up to one acquire interval for it): a second
     * engine of the connector in this process would clash with it (its JMX beans, threads and binlog connection), so
     * this instance does not compete meanwhile. Its writes are fenced already; an engine that has not stopped after
     * {@link #PREVIOUS_ENGINE_STOP_LIMIT} is reported and no longer waited for.
     */
    private boolean previousEngineStopping() throws InterruptedException {
        TermSession previous = session;
        if (previous == null || previous == notWaitedFor || previous.awaitStopped(timings.getAcquireInterval().toMillis())) {
            waitingForPreviousEngine = false;
            return false;
        }
        long now = clock.nanoTime();
        if (!waitingForPreviousEngine) {
            waitingForPreviousEngine = true;
            previousStopWaitStartedNanos = now;
            log.info("Connector {}: the engine of epoch {} is still stopping; competing for the lease once it has stopped", leases.connectorName(),
                    previous.lease().epoch());
        }
        if (now - previousStopWaitStartedNanos < PREVIOUS_ENGINE_STOP_LIMIT.toNanos()) {
            return true;
        }
        notWaitedFor = previous;
        waitingForPreviousEngine = false;
        log.warn("Connector {}: the engine of epoch {} has not stopped within {} s; competing for the lease anyway (a new engine may fail"
                + " to start until it has; restart the process if this persists)", leases.connectorName(), previous.lease().epoch(),
                PREVIOUS_ENGINE_STOP_LIMIT.toSeconds());
        return false;
    }

    private void becomeActive(Lease won, long attemptStarted) {
        synchronized (this) {
            lease = won;
            // The lease is valid from when we asked for it, not from when the answer arrived.
            lastRenewOkNanos = attemptStarted;
            nextRenewNanos = attemptStarted + timings.getRenewInterval().toNanos();
            termStartedNanos = attemptStarted;
            role = Role.ACTIVE;
        }
        log.info("Connector {}: instance {} is now ACTIVE with lease epoch {}", won.connectorName(), won.ownerId(), won.epoch());
        observer.roleChanged(Role.ACTIVE, won, "lease acquired");
        startSession(won);
    }

    /** Not under the lock: building an engine takes a while, and the watchdog must still be able to end the term. */
    private void startSession(Lease term) {
        TermSession s;
        try {
            s = sessions.create(term, this::sessionStopped);
        } catch (RuntimeException e) {
            failTerm(term, "the engine or its Kafka producer could not be created (" + rootMessage(e) + ")", e);
            return;
        }
        synchronized (this) {
            if (role != Role.ACTIVE || lease != term) {
                s.stop("the term ended while its engine was being built");
                return;
            }
            session = s;
        }
        try {
            s.start();
        } catch (RuntimeException e) {
            failTerm(term, "the engine could not start (" + rootMessage(e) + ")", e);
        }
    }

    /** On its own thread: starting an engine (Kafka initTransactions, snapshot setup) must not delay renewals. */
    void renewStep() {
        Lease held = lease;
        if (role != Role.ACTIVE || held == null || clock.nanoTime() < nextRenewNanos) {
            return;
        }
        long renewStarted = clock.nanoTime();
        nextRenewNanos = renewStarted + timings.getRenewInterval().toNanos();
        boolean renewed;
        try {
            renewed = leases.renew(held);
        } catch (RuntimeException e) {
            warnStore("lease renew failed; the engine stops if no renew succeeds within the ttl", e);
            return;
        }
        renewResult(held, renewed, renewStarted);
    }

    /** Applies a renew answer to the term it was asked for; an answer that arrives after its term ended is dropped. */
    synchronized void renewResult(Lease term, boolean renewed, long renewStartedNanos) {
        if (role != Role.ACTIVE || lease != term) {
            log.debug("Connector {}: late renew answer ({}) for epoch {} ignored", term.connectorName(), renewed, term.epoch());
            return;
        }
        if (renewed) {
            lastRenewOkNanos = Math.max(lastRenewOkNanos, renewStartedNanos);
        } else {
            lose(term, "the lease was taken over (renew of epoch " + term.epoch() + " matched no row)");
        }
    }

    synchronized void checkRenewDeadline() {
        Lease term = lease;
        if (role != Role.ACTIVE || term == null) {
            return;
        }
        long sinceRenew = clock.nanoTime() - lastRenewOkNanos;
        long limit = timings.getTtl().minus(timings.getSafetyMargin()).toNanos();
        if (sinceRenew > limit) {
            lose(term, "no successful lease renew for " + TimeUnit.NANOSECONDS.toMillis(sinceRenew)
                    + " ms (ttl " + timings.getTtl().toMillis() + " ms): the store is unreachable or this process was paused");
        }
    }

    private void onFenced(FencingException e) {
        Lease held = lease;
        if (held != null && e.connectorName().equals(held.connectorName()) && e.writerEpoch() == held.epoch()
                && (e.writerOwner() == null || e.writerOwner().equals(held.ownerId()))) {
            lose(held, e.getMessage());
        }
    }

    private void sessionStopped(TermSession stopped, boolean success, String message, Throwable error) {
        Lease term = stopped.lease();
        if (isFencing(error)) {
            lose(term, "fenced: " + rootMessage(error));
            return;
        }
        String what = success ? "completed" : "failed";
        failTerm(term, "the engine stopped (" + what + ": " + (error != null ? rootMessage(error) : message) + ")", error);
    }

    /**
     * Ends a term whose engine is not running (could not be built or started, or stopped on its own): a leader
     * that publishes nothing must not keep the lease. Releases the lease so that a standby takes over at once,
     * and competes again only after the backoff.
     */
    synchronized void failTerm(Lease term, String reason, Throwable error) {
        if (role != Role.ACTIVE || lease != term) {
            return;
        }
        long now = clock.nanoTime();
        if (now - termStartedNanos >= HEALTHY_TERM.toNanos()) {
            failureBackoff = INITIAL_FAILURE_BACKOFF;
        }
        Duration wait = failureBackoff;
        failureBackoff = wait.multipliedBy(2).compareTo(MAX_FAILURE_BACKOFF) > 0 ? MAX_FAILURE_BACKOFF : wait.multipliedBy(2);
        competeAgainAtNanos = now + wait.toNanos();
        backingOff = true;
        if (error != null) {
            log.error("Connector {}: term of epoch {} failed: {}", term.connectorName(), term.epoch(), reason, error);
        }
        lose(term, reason + "; lease released, this instance competes again in " + wait.toMillis() + " ms");
        releaseInBackground(term);
    }

    private void releaseInBackground(Lease term) {
        try {
            storeCalls.execute(() -> {
                try {
                    leases.release(term);
                    log.info("Connector {}: released lease epoch {}", term.connectorName(), term.epoch());
                } catch (RuntimeException e) {
                    log.warn("Connector {}: could not release lease epoch {} ({}); it expires within the ttl", term.connectorName(), term.epoch(),
                            rootMessage(e));
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Lease release after shutdown skipped: {}", e.toString());
        }
    }

    /** Ends the given term at once if it is still the current one: no more Kafka sends or offset writes, back to standby. */
    private synchronized void lose(Lease term, String reason) {
        if (role != Role.ACTIVE || lease != term) {
            return;
        }
        role = Role.STANDBY;
        log.warn("Connector {}: instance {} lost leadership of epoch {} and is now STANDBY: {}", term.connectorName(), term.ownerId(),
                term.epoch(), reason);
        TermSession s = session;
        if (s != null && s.lease() == term) {
            s.stop(reason);
        }
        observer.roleChanged(Role.STANDBY, term, reason);
    }

    /** Stops the engine, then releases the lease so that a standby takes over without waiting for the ttl. */
    @Override
    public void close() {
        running = false;
        loopThread.interrupt();
        watchdog.shutdownNow();
        storeCalls.shutdownNow();
        fencingSubscription.close();
        Lease held;
        TermSession s;
        synchronized (this) {
            held = role == Role.ACTIVE ? lease : null;
            s = session;
            role = Role.STANDBY;
        }
        if (s != null) {
            s.stop("shutdown");
            try {
                s.awaitStopped(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (held != null) {
            try {
                leases.release(held);
                log.info("Connector {}: released lease epoch {}", held.connectorName(), held.epoch());
            } catch (RuntimeException e) {
                log.warn("Connector {}: could not release the lease ({}); a standby takes over when it expires", held.connectorName(), e.toString());
            }
        }
    }

    private void warnStore(String what, RuntimeException e) {
        long now = clock.nanoTime();
        if (now - lastStoreWarningNanos > TimeUnit.SECONDS.toNanos(5)) {
            lastStoreWarningNanos = now;
            log.warn("Connector {}: {} ({})", leases.connectorName(), what, rootMessage(e));
        }
    }

    static boolean isFencing(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof FencingException || t instanceof KafkaFencedException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof FencingException || t instanceof KafkaFencedException) {
                break;
            }
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
