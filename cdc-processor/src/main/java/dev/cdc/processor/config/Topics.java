package dev.cdc.processor.config;

import dev.cdc.contract.TopicNames;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Topic names derived from the configuration: the change topics are {@code <prefix>.<db>.<table>} and are
 * subscribed by pattern, so tables created later are picked up; the dead-letter topic {@code <prefix>.dlq} has
 * one segment after the prefix and therefore never matches.
 */
@Singleton
public class Topics {

    public static final String DEFAULT_DLQ_SUFFIX = TopicNames.DLQ_SUFFIX;

    private final CdcConfig cdc;
    private final ProcessorConfig config;

    public Topics(CdcConfig cdc, ProcessorConfig config) {
        this.cdc = cdc;
        this.config = config;
    }

    /** The configured prefix, or null when it is missing (the startup checks refuse to start then). */
    public String prefix() {
        String prefix = cdc.getTopicPrefix();
        return prefix == null || prefix.isBlank() ? null : prefix.trim();
    }

    /** The prefix exactly as configured (null when missing). */
    public String configuredPrefix() {
        return cdc.getTopicPrefix();
    }

    /**
     * True when the configured prefix has blanks around it. The micronaut-kafka subscription pattern is built from
     * the configuration value as it is, so the startup checks refuse such a prefix instead of trimming it.
     */
    public boolean prefixHasSurroundingBlanks() {
        String raw = cdc.getTopicPrefix();
        return raw != null && !raw.isBlank() && !raw.equals(raw.trim());
    }

    public Pattern changeTopicPattern() {
        return changeTopicPattern(prefix());
    }

    public static Pattern changeTopicPattern(String prefix) {
        return TopicNames.changeTopicPattern(prefix);
    }

    public String dlqTopic() {
        String configured = config.getDlqTopic();
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return TopicNames.deadLetterTopic(prefix());
    }
}
