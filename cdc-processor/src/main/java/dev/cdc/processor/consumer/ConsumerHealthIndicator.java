package dev.cdc.processor.consumer;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * /health: UP while the change listener runs (also while it retries a transient target failure); DOWN before
 * micronaut-kafka created its consumer, while a failed poll waits for its backoff, and after shutdown started.
 */
@Singleton
public class ConsumerHealthIndicator implements HealthIndicator {

    private final ChangeListener listener;

    public ConsumerHealthIndicator(ChangeListener listener) {
        this.listener = listener;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ChangeListener.State state = listener.state();
        boolean up = listener.isAlive() && state != ChangeListener.State.FAILED && state != ChangeListener.State.STOPPED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("assignedPartitions", listener.assignment().size());
        details.put("pausedPartitions", listener.pausedPartitions());
        return Publishers.just(HealthResult.builder("cdcProcessor", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
