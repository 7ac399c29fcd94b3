package dev.cdc.processor.consumer;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** /health: UP while the consume-apply loop runs (also while it retries a transient target failure). */
@Singleton
public class ConsumerHealthIndicator implements HealthIndicator {

    private final ChangeConsumer consumer;

    public ConsumerHealthIndicator(ChangeConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ChangeConsumer.State state = consumer.state();
        boolean up = consumer.isAlive() && state != ChangeConsumer.State.FAILED && state != ChangeConsumer.State.STOPPED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("assignedPartitions", consumer.assignment().size());
        return Publishers.just(HealthResult.builder("cdcProcessor", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
