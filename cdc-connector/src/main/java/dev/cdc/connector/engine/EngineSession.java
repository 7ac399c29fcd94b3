package dev.cdc.connector.engine;

import dev.cdc.connector.leader.TermSession;
import dev.cdc.connector.publish.TransactionalPublisher;
import dev.cdc.connector.transform.EventTransform;
import dev.cdc.offsets.Lease;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.debezium.embedded.Connect;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership term's engine: a new Debezium engine and a new transactional producer, built from the
 * shared offset and schema history (the async engine cannot be restarted and reads offsets only at start).
 * A producer that cannot be initialised stops the session with that error, even when no change arrives, so
 * that the term ends instead of holding the lease while nothing can be published.
 */
public final class EngineSession implements TermSession {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
    /**
     * How long a stop waits for the engine before it reports the threads still running. Debezium bounds its own
     * stop by task.management.timeout.ms (40 s by default) for the task, and as long again for the engine thread.
     */
    static final Duration STOP_LIMIT = Duration.ofSeconds(90);
    /** How often a close the engine refused (its task was still starting) is tried again. */
    private static final Duration CLOSE_RETRY = Duration.ofMillis(100);

    private final Lease lease;
    private final Properties engineProperties;
    private final TransactionalPublisher publisher;
    private final EventTransform transform;
    private final BatchHandler.Progress progress;
    private final TermSession.Listener listener;
    private final BatchHandler.BeforeCommit beforeCommit;
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ExecutorService executor;
    private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private volatile Thread closer;

    public EngineSession(Lease lease, Properties engineProperties, TransactionalPublisher publisher, EventTransform transform,
                         BatchHandler.Progress progress, TermSession.Listener listener, BatchHandler.BeforeCommit beforeCommit) {
        this.beforeCommit = beforeCommit;
        this.lease = lease;
        this.engineProperties = engineProperties;
        this.publisher = publisher;
        this.transform = transform;
        this.progress = progress;
        this.listener = listener;
        this.executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "engine-" + lease.connectorName() + "-epoch-" + lease.epoch()));
    }

    @Override
    public Lease lease() {
        return lease;
    }

    public boolean isLeading() {
        return leading.get();
    }

    /** Starts the engine on its own thread and fences the previous leader's producer meanwhile. */
    @Override
    public void start() {
        long started = System.nanoTime();
        // initTransactions (which fences earlier producers) runs while the engine starts; the first batch waits for it.
        CompletableFuture<Void> producerReady = CompletableFuture.runAsync(() -> {
            publisher.init();
            log.info("Connector {} epoch {}: Kafka producer initialised (earlier producers fenced) in {} ms", lease.connectorName(), lease.epoch(),
                    (System.nanoTime() - started) / 1_000_000);
        }, r -> new Thread(r, "producer-init-epoch-" + lease.epoch()).start());
        producerReady.whenComplete((ignored, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                stop("the Kafka producer could not be initialised: " + cause.getMessage(), cause);
            }
        });
        BatchHandler handler = new BatchHandler(transform, publisher, producerReady, lease.epoch(), leading::get, progress, beforeCommit);
        engine = DebeziumEngine.create(Connect.class)
                .using(engineProperties)
                .notifying(handler)
                .using((success, message, error) -> onEngineCompleted(success, message, error))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        log.info("Connector {} epoch {}: engine task started {} ms after taking over", lease.connectorName(), lease.epoch(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                })
                .build();
        executor.execute(engine);
    }

    private void onEngineCompleted(boolean success, String message, Throwable error) {
        leading.set(false);
        publisher.close();
        transform.close();
        if (stopped.compareAndSet(false, true)) {
            listener.sessionStopped(this, success, message, error);
        }
        executor.shutdown();
    }

    /**
     * Stops publishing at once (the handler refuses further batches and the producer is closed without
     * waiting), then closes the engine in the background, since its close waits for the running poll.
     */
    @Override
    public void stop(String reason) {
        stop(reason, null);
    }

    /** As {@link #stop(String)}; the listener is told the error, if any, as the cause of the stop. */
    private void stop(String reason, Throwable error) {
        if (!leading.getAndSet(false)) {
            return;
        }
        log.info("Stopping engine of connector {} epoch {}: {}", lease.connectorName(), lease.epoch(), reason);
        publisher.close();
        Thread c = new Thread(() -> {
            try {
                closeEngine();
            } finally {
                transform.close();
                if (stopped.compareAndSet(false, true)) {
                    listener.sessionStopped(this, false, reason, error);
                }
            }
        }, "engine-close-epoch-" + lease.epoch());
        c.setDaemon(true);
        closer = c;
        c.start();
    }

    /**
     * Lets Debezium stop the connector's task and waits for the engine thread to end, without ever interrupting it.
     * Debezium stops the task from the engine thread (or from here) and waits for that stop on a pool thread; an
     * interrupt of the engine thread (as a shutdownNow of its executor did) makes it abandon the wait and interrupt the
     * task's stop inside ChangeEventSourceCoordinator.stop ("Interrupted while stopping coordinator"), so the rest of the
     * stop never runs: the signal processor's thread, the task's JDBC connections, the schema history's pool and its
     * {@code context=schema-history} MBean then stay for the life of the JVM, and the next term's task in this JVM
     * cannot register that MBean and times out starting.
     */
    private void closeEngine() {
        DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> e = engine;
        long deadline = System.nanoTime() + STOP_LIMIT.toNanos();
        // The engine's run (already handed over) goes on; the executor terminates when it ends.
        executor.shutdown();
        try {
            while (e != null) {
                try {
                    e.close();
                    break;
                } catch (IllegalStateException refused) {
                    // Refused while the task is starting (it is closed once it polls), or the engine is already
                    // stopping by itself (the in-flight batch failed on the closed producer): wait for its thread.
                    if (executor.awaitTermination(CLOSE_RETRY.toMillis(), TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                        break;
                    }
                } catch (IOException | RuntimeException ex) {
                    log.debug("Engine close after stop: {}", ex.toString());
                    break;
                }
            }
            long remaining = Math.max(0, deadline - System.nanoTime());
            if (executor.awaitTermination(remaining, TimeUnit.NANOSECONDS)) {
                log.info("Engine of connector {} epoch {} stopped", lease.connectorName(), lease.epoch());
            } else {
                log.warn("Engine of connector {} epoch {} has not stopped {} s after its stop; threads still running: {}. A new engine"
                        + " of this connector in this process waits for it; restart the process if it does not end", lease.connectorName(),
                        lease.epoch(), STOP_LIMIT.toSeconds(), engineThreads().describe());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private EngineThreads engineThreads() {
        return new EngineThreads(engineProperties.getProperty("topic.prefix", lease.connectorName()),
                engineProperties.getProperty("database.hostname") + ":" + engineProperties.getProperty("database.port"));
    }

    /**
     * True once the engine has stopped: its close has returned and its thread has ended (after {@link #stop}, or
     * after the engine stopped by itself).
     */
    @Override
    public boolean awaitStopped(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Thread c = closer;
        if (c != null) {
            long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (waitMillis > 0) {
                c.join(waitMillis);
            }
            if (c.isAlive()) {
                return false;
            }
        }
        return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
