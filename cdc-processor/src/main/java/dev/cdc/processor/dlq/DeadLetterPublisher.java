package dev.cdc.processor.dlq;

import dev.cdc.processor.config.KafkaClientSettings;
import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.config.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes poison records to the dead-letter topic ({@code cdc.processor.dlq-topic}, default {@code <prefix>.dlq})
 * with their original key, value and headers, plus diagnostic headers (UTF-8 strings):
 * {@value #ERROR_CLASS}, {@value #ERROR_MESSAGE}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET},
 * {@value #ATTEMPTS}. The send is synchronous: the consumer moves past the record only once the broker has it.
 */
@Singleton
public class DeadLetterPublisher {

    public static final String ERROR_CLASS = "cdc.dlq.error.class";
    public static final String ERROR_MESSAGE = "cdc.dlq.error.message";
    public static final String TOPIC = "cdc.dlq.topic";
    public static final String PARTITION = "cdc.dlq.partition";
    public static final String OFFSET = "cdc.dlq.offset";
    public static final String ATTEMPTS = "cdc.dlq.attempts";
    static final int MAX_MESSAGE_CHARS = 4000;

    private final KafkaClientSettings settings;
    private final Topics topics;
    private final Duration sendTimeout;
    private KafkaProducer<byte[], byte[]> producer;

    public DeadLetterPublisher(KafkaClientSettings settings, Topics topics, ProcessorConfig config) {
        this.settings = settings;
        this.topics = topics;
        this.sendTimeout = config.getDlqSendTimeout();
    }

    public String topic() {
        return topics.dlqTopic();
    }

    /** Sends the record to the DLQ and waits for the broker's acknowledgement. */
    public synchronized RecordMetadata publish(ConsumerRecord<byte[], byte[]> record, Throwable error, int attempts)
            throws InterruptedException, ExecutionException, TimeoutException {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic(), null, record.key(), record.value(),
                headers(record, error, attempts));
        return producer().send(out).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Headers headers(ConsumerRecord<byte[], byte[]> record, Throwable error, int attempts) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h.key(), h.value());
        }
        String message = String.valueOf(error.getMessage());
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        add(headers, ERROR_CLASS, error.getClass().getName());
        add(headers, ERROR_MESSAGE, message);
        add(headers, TOPIC, record.topic());
        add(headers, PARTITION, Integer.toString(record.partition()));
        add(headers, OFFSET, Long.toString(record.offset()));
        add(headers, ATTEMPTS, Integer.toString(attempts));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producer("cdc-processor-dlq"));
        }
        return producer;
    }

    @PreDestroy
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
