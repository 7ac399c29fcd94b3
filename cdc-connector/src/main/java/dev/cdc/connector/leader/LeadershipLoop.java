package dev.cdc.connector.leader;

import dev.cdc.connector.config.ConnectorSettings;
import dev.cdc.connector.engine.EngineSession;
import dev.cdc.connector.publish.KafkaFencedException;
import dev.cdc.offsets.FencingEvents;
import dev.cdc.offsets.FencingException;
import dev.cdc.offsets.Lease;
import dev.cdc.offsets.LeaseManager;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership of one connector instance (DESIGN.md, "Leadership and fencing"):
 * <ol>
 * <li>One writer: an engine runs only while this instance holds the lease; each acquisition bumps the epoch.</li>
 * <li>Renew or stop: the holder renews every ttl/3; a renew that finds the lease taken, or no successful
 * renew for ttl minus a safety margin (monotonic clock, checked by a watchdog that a hung store call cannot
 * block), stops the engine at once and returns to standby.</li>
 * <li>Fenced writes: a fenced offset or schema-history write, or a fenced Kafka producer, also ends the term.</li>
 * </ol>
 * A standby only polls the lease; it opens no binlog connection.
 */
public final class LeadershipLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeadershipLoop.class);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    public enum Role { STANDBY, ACTIVE }

    /** Builds the engine session of a new term. */
    public interface SessionFactory {
        EngineSession create(Lease lease, EngineSession.Listener listener);
    }

    /** Told about every role change (metrics, health). */
    public interface Observer {
        void roleChanged(Role role, Lease lease, String reason);
    }

    private final LeaseManager leases;
    private final ConnectorSettings.Lease timings;
    private final SessionFactory sessions;
    private final Observer observer;
    private final ScheduledExecutorService watchdog;
    private final ScheduledExecutorService renewer;
    private final FencingEvents.Subscription fencingSubscription;
    private final Thread loopThread;

    private volatile boolean running = true;
    private volatile Role role = Role.STANDBY;
    private volatile Lease lease;
    private volatile EngineSession session;
    private volatile long lastRenewOkNanos;
    private volatile long nextRenewNanos;
    private volatile long restartAtNanos = -1;
    private Duration restartBackoff = Duration.ofSeconds(1);
    private long lastStoreWarningNanos;

    public LeadershipLoop(LeaseManager leases, ConnectorSettings.Lease timings, SessionFactory sessions, Observer observer) {
        this.leases = leases;
        this.timings = timings;
        this.sessions = sessions;
        this.observer = observer;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lease-watchdog-" + leases.connectorName()));
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lease-renew-" + leases.connectorName()));
        this.fencingSubscription = FencingEvents.subscribe(this::onFenced);
        this.loopThread = daemon(this::run, "leadership-" + leases.connectorName());
    }

    public void start() {
        loopThread.start();
        watchdog.scheduleAtFixedRate(this::checkRenewDeadline, 50, 50, TimeUnit.MILLISECONDS);
        renewer.scheduleWithFixedDelay(this::renewStep, 20, 20, TimeUnit.MILLISECONDS);
    }

    public Role role() {
        return role;
    }

    public Optional<Lease> lease() {
        return role == Role.ACTIVE ? Optional.ofNullable(lease) : Optional.empty();
    }

    private void run() {
        while (running) {
            try {
                if (role == Role.STANDBY) {
                    standbyStep();
                } else {
                    activeStep();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Leadership loop of connector {}: {}", leases.connectorName(), e.toString(), e);
                sleepQuietly(timings.getAcquireInterval().toMillis());
            }
        }
    }

    private void standbyStep() throws InterruptedException {
        long attemptStarted = System.nanoTime();
        Optional<Lease> acquired;
        try {
            acquired = leases.tryAcquire();
        } catch (RuntimeException e) {
            warnStore("cannot reach the store to take the lease", e);
            Thread.sleep(timings.getAcquireInterval().toMillis());
            return;
        }
        if (acquired.isEmpty()) {
            Thread.sleep(timings.getAcquireInterval().toMillis());
            return;
        }
        EngineSession previous = session;
        if (previous != null) {
            // The previous term's engine may still be closing; its writes are fenced, but let it finish first.
            previous.awaitStopped(5_000);
        }
        Lease won = acquired.get();
        if (System.nanoTime() - attemptStarted > timings.getRenewInterval().toNanos()) {
            // A slow answer (e.g. the store just came back) leaves little of the ttl we may count on: renew first.
            long renewStarted = System.nanoTime();
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

    private void becomeActive(Lease won, long attemptStarted) {
        synchronized (this) {
            lease = won;
        // The lease is valid from when we asked for it, not from when the answer arrived.
        lastRenewOkNanos = attemptStarted;
        nextRenewNanos = attemptStarted + timings.getRenewInterval().toNanos();
            role = Role.ACTIVE;
            restartBackoff = Duration.ofSeconds(1);
        }
        log.info("Connector {}: instance {} is now ACTIVE with lease epoch {}", won.connectorName(), won.ownerId(), won.epoch());
        observer.roleChanged(Role.ACTIVE, won, "lease acquired");
        startSession();
    }

    /** Not under the lock: building an engine takes a while, and the watchdog must still be able to end the term. */
    private void startSession() {
        EngineSession s;
        synchronized (this) {
            if (role != Role.ACTIVE) {
                return;
            }
            restartAtNanos = -1;
            s = sessions.create(lease, this::engineStopped);
            session = s;
        }
        try {
            s.start();
        } catch (RuntimeException e) {
            log.error("Connector {}: engine of epoch {} could not start: {}", s.lease().connectorName(), s.lease().epoch(), e.getMessage(), e);
            // The session reports its stop to engineStopped, which schedules the restart.
            s.stop("start failed");
        }
    }

    private void activeStep() throws InterruptedException {
        long restartAt = restartAtNanos;
        if (restartAt > 0 && System.nanoTime() >= restartAt && role == Role.ACTIVE) {
            log.info("Connector {}: restarting the engine of epoch {}", lease.connectorName(), lease.epoch());
            startSession();
        }
        Thread.sleep(50);
    }

    /** On its own thread: starting an engine (Kafka initTransactions, snapshot setup) must not delay renewals. */
    private void renewStep() {
        Lease held = lease;
        if (role != Role.ACTIVE || held == null || System.nanoTime() < nextRenewNanos) {
            return;
        }
        long renewStarted = System.nanoTime();
        nextRenewNanos = renewStarted + timings.getRenewInterval().toNanos();
        try {
            if (leases.renew(held)) {
                if (held == lease) {
                    lastRenewOkNanos = renewStarted;
                }
            } else {
                lose("the lease was taken over (renew of epoch " + held.epoch() + " matched no row)");
            }
        } catch (RuntimeException e) {
            warnStore("lease renew failed; the engine stops if no renew succeeds within the ttl", e);
        }
    }

    private void checkRenewDeadline() {
        if (role != Role.ACTIVE) {
            return;
        }
        long sinceRenew = System.nanoTime() - lastRenewOkNanos;
        long limit = timings.getTtl().minus(timings.getSafetyMargin()).toNanos();
        if (sinceRenew > limit) {
            lose("no successful lease renew for " + TimeUnit.NANOSECONDS.toMillis(sinceRenew)
                    + " ms (ttl " + timings.getTtl().toMillis() + " ms): the store is unreachable or this process was paused");
        }
    }

    private void onFenced(FencingException e) {
        Lease held = lease;
        if (role == Role.ACTIVE && held != null && e.connectorName().equals(held.connectorName()) && e.writerEpoch() == held.epoch()) {
            lose(e.getMessage());
        }
    }

    private void engineStopped(EngineSession stoppedSession, boolean success, String message, Throwable error) {
        synchronized (this) {
            if (stoppedSession != session || role != Role.ACTIVE) {
                return;
            }
            if (isFencing(error)) {
                lose("fenced: " + rootMessage(error));
                return;
            }
            log.error("Connector {}: engine of epoch {} stopped ({}): {}", leases.connectorName(), stoppedSession.lease().epoch(),
                    success ? "completed" : "failed", error != null ? rootMessage(error) : message);
            scheduleRestart();
        }
    }

    private void scheduleRestart() {
        restartAtNanos = System.nanoTime() + restartBackoff.toNanos();
        log.info("Connector {}: engine restarts in {} ms while this instance keeps the lease", leases.connectorName(), restartBackoff.toMillis());
        restartBackoff = restartBackoff.multipliedBy(2).compareTo(MAX_RESTART_BACKOFF) > 0 ? MAX_RESTART_BACKOFF : restartBackoff.multipliedBy(2);
    }

    /** Ends this instance's term at once: no more Kafka sends or offset writes, back to standby. */
    private synchronized void lose(String reason) {
        if (role != Role.ACTIVE) {
            return;
        }
        role = Role.STANDBY;
        restartAtNanos = -1;
        Lease lost = lease;
        log.warn("Connector {}: instance {} lost leadership of epoch {} and is now STANDBY: {}", lost.connectorName(), lost.ownerId(),
                lost.epoch(), reason);
        EngineSession s = session;
        if (s != null) {
            s.stop(reason);
        }
        observer.roleChanged(Role.STANDBY, lost, reason);
    }

    /** Stops the engine, then releases the lease so that a standby takes over without waiting for the ttl. */
    @Override
    public void close() {
        running = false;
        loopThread.interrupt();
        watchdog.shutdownNow();
        renewer.shutdownNow();
        fencingSubscription.close();
        Lease held;
        EngineSession s;
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
        long now = System.nanoTime();
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
