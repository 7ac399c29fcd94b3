package dev.cdc.processor.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The keys the processor shares with the connector: {@code cdc.topic-prefix}, the first segment of every change
 * topic ({@code <prefix>.<db>.<table>}). Required; the startup checks reject a missing one with a one-line error.
 */
@ConfigurationProperties("cdc")
public class CdcConfig {

    @Nullable
    private String topicPrefix;

    @Nullable
    public String getTopicPrefix() {
        return topicPrefix;
    }

    public void setTopicPrefix(@Nullable String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }
}
