package dev.cdc.connector.engine;

import dev.cdc.connector.leader.TermSession;
import dev.cdc.connector.publish.TransactionalPublisher;
import dev.cdc.connector.transform.EventTransform;
import dev.cdc.offsets.Lease;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.debezium.embedded.Connect;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
        DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> e = engine;
        Thread closer = new Thread(() -> {
            try {
                if (e != null) {
                    e.close();
                }
            } catch (IOException | RuntimeException ex) {
                log.debug("Engine close after stop: {}", ex.toString());
            } finally {
                transform.close();
                if (stopped.compareAndSet(false, true)) {
                    listener.sessionStopped(this, false, reason, error);
                }
                executor.shutdownNow();
            }
        }, "engine-close-epoch-" + lease.epoch());
        closer.setDaemon(true);
        closer.start();
    }

    /** Waits for the engine thread to finish (after {@link #stop}). */
    @Override
    public boolean awaitStopped(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
