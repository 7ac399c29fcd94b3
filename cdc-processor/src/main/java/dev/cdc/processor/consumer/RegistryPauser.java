package dev.cdc.processor.consumer;

import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses through micronaut-kafka's {@link ConsumerRegistry}: a pause on the consumer itself would be undone by its
 * poll loop. The registry is micronaut-kafka's processor, which creates the listener: hence a provider.
 */
@Singleton
class RegistryPauser implements PartitionPauser {

    private static final Logger log = LoggerFactory.getLogger(RegistryPauser.class);

    private final BeanProvider<ConsumerRegistry> registry;
    private volatile String consumerId;

    RegistryPauser(BeanProvider<ConsumerRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public boolean pause(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        String id = consumerId(consumer);
        if (id == null) {
            return false;
        }
        registry.get().pause(id, List.copyOf(partitions));
        return true;
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        String id = consumerId;
        if (id == null || partitions.isEmpty()) {
            return;
        }
        try {
            registry.get().resume(id, List.copyOf(partitions));
        } catch (RuntimeException e) {
            log.debug("Could not resume {} (the consumer is closing?)", partitions, e);
        }
    }

    /** micronaut-kafka's id of {@code c} (its client id), or null. */
    private String consumerId(Consumer<byte[], byte[]> c) {
        String id = consumerId;
        if (id != null) {
            return id;
        }
        ConsumerRegistry consumers = registry.get();
        for (String candidate : consumers.getConsumerIds()) {
            try {
                Object registered = consumers.getConsumer(candidate);
                if (registered == c) {
                    consumerId = candidate;
                    return candidate;
                }
            } catch (IllegalArgumentException closing) {
                // Removed meanwhile.
            }
        }
        return null;
    }
}
