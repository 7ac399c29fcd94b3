package dev.cdc.connector.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one Debezium batch as one Kafka transaction (docs/design.md, invariant 4). Every instance of a
 * connector uses the same {@code transactional.id}, so {@link #init()} by a new leader fences the producer
 * of the old one: its next send or commit fails with {@link KafkaFencedException}.
 */
public final class TransactionalPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String transactionalId;
    private volatile boolean closed;

    public TransactionalPublisher(String bootstrapServers, String connectorName, Map<String, Object> overrides) {
        this.transactionalId = transactionalId(connectorName);
        Map<String, Object> config = defaults(bootstrapServers, transactionalId);
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static String transactionalId(String connectorName) {
        return "cdc-connector." + connectorName;
    }

    /**
     * Producer settings for throughput with small latency: one transaction a batch, so linger only
     * matters inside a batch; lz4 and 256 KiB batches; idempotence (required by transactions).
     */
    static Map<String, Object> defaults(String bootstrapServers, String transactionalId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-" + ProcessHandle.current().pid());
        return c;
    }

    /** The number of partitions of {@code topic} (created with the broker's defaults when it does not exist yet). */
    public int partitionCount(String topic) {
        return producer.partitionsFor(topic).size();
    }

    /** Registers the transactional id with the broker, aborting and fencing any earlier producer of it. */
    public void init() {
        try {
            producer.initTransactions();
        } catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
            throw new KafkaFencedException("Kafka fenced transactional.id " + transactionalId + " at init: " + e.getMessage(), e);
        }
    }

    /** Sends all records in one transaction; returns when the transaction has committed. */
    public void publish(List<ProducerRecord<byte[], byte[]>> records) {
        if (closed) {
            throw new KafkaFencedException("Publisher for " + transactionalId + " is closed: this instance is no longer the leader");
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            // commitTransaction flushes and fails if any send failed.
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
            throw new KafkaFencedException("Kafka fenced transactional.id " + transactionalId
                    + ": another instance took over; this batch was not committed", e);
        } catch (KafkaException | IllegalStateException e) {
            if (closed) {
                // The stop closed the producer under this batch: nothing is committed, and the cause is the stop.
                throw new KafkaFencedException("Publisher for " + transactionalId + " was closed during the batch: this instance is no"
                        + " longer the leader; the batch was not committed", e);
            }
            try {
                producer.abortTransaction();
            } catch (KafkaException | IllegalStateException abortFailure) {
                // The send's error is the one to report; a closed or failed producer may refuse the abort too.
                log.debug("Abort after failed publish also failed: {}", abortFailure.toString());
            }
            throw e;
        }
    }

    /** Closes without waiting, so a stopped leader sends nothing more; an open transaction is aborted by the broker. */
    @Override
    public void close() {
        closed = true;
        try {
            producer.close(Duration.ZERO);
        } catch (KafkaException e) {
            log.debug("Producer close: {}", e.toString());
        }
    }
}
