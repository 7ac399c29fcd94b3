package dev.cdc.processor.consumer;

import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.metrics.ProcessorMetrics;
import dev.cdc.processor.metrics.ProcessorMetrics.RetryReason;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streak of transient failures (target unreachable, DLQ broker unavailable): its backoff grows with the streak, one
 * log line starts it, one a minute reminds, one ends it. Used by the poll thread only.
 */
@Singleton
class RetryStreak {

    private static final Logger log = LoggerFactory.getLogger(RetryStreak.class);
    private static final long REMINDER_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ProcessorConfig config;
    private final ProcessorMetrics metrics;
    private final ListenerStatus status;
    private final LongSupplier nanoClock;
    private int count;
    private long startNanos;
    private long loggedNanos;

    @Inject
    RetryStreak(ProcessorConfig config, ProcessorMetrics metrics, ListenerStatus status) {
        this(config, metrics, status, System::nanoTime);
    }

    RetryStreak(ProcessorConfig config, ProcessorMetrics metrics, ListenerStatus status, LongSupplier nanoClock) {
        this.config = config;
        this.metrics = metrics;
        this.status = status;
        this.nanoClock = nanoClock;
    }

    /** One more failure; returns how long every partition waits before the records are applied again. */
    Duration failed(String what, String error, ConsumerRecord<?, ?> first, int records) {
        metrics.retry(RetryReason.TRANSIENT);
        status.state(ListenerStatus.State.RETRYING);
        count++;
        long now = nanoClock.getAsLong();
        if (count == 1) {
            startNanos = now;
            loggedNanos = now;
            log.warn("Retrying: {} ({}). Rolled back; {} records from {}-{}@{} will be applied again, with backoff up to {} ms, "
                    + "until it succeeds; nothing is dead-lettered meanwhile. Check the target database (datasources.default.url, "
                    + "its credentials and grants) and the Kafka broker.", what, error, records, first.topic(),
                    first.partition(), first.offset(), config.getRetryBackoffMax().toMillis());
        } else if (now - loggedNanos >= REMINDER_NANOS) {
            loggedNanos = now;
            log.warn("Still retrying after {} attempts in {} s: {} ({})", count, TimeUnit.NANOSECONDS.toSeconds(now - startNanos), what, error);
        }
        return config.backoff(count);
    }

    /** An apply succeeded. */
    void ended() {
        if (count > 0) {
            log.info("Recovered after {} retries in {} s; applying again", count,
                    TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - startNanos));
            count = 0;
        }
        if (status.state() == ListenerStatus.State.RETRYING) {
            status.state(ListenerStatus.State.RUNNING);
        }
    }
}
