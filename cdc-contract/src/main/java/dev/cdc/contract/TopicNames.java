package dev.cdc.contract;

import java.util.regex.Pattern;

/**
 * Topic naming: change topics are {@code <prefix>.<db>.<table>}; the dead-letter topic {@code <prefix>.dlq} has one
 * segment after the prefix and so never matches the change-topic pattern. A dot inside a database or table name
 * would be taken for a separator, so {@link #changeTopic} writes it as {@code _}: every table's topic matches the
 * pattern, and the processor takes the table's name from the event, not from the topic.
 */
public final class TopicNames {

    public static final String DLQ_SUFFIX = ".dlq";
    private static final String SEGMENT = "[^.]+";

    private TopicNames() {
    }

    public static String changeTopic(String prefix, String db, String table) {
        return prefix + "." + segment(db) + "." + segment(table);
    }

    /** The regular expression of the change topics of {@code prefix} (prefix quoted). */
    public static String changeTopicRegex(String prefix) {
        return Pattern.quote(prefix) + "\\." + SEGMENT + "\\." + SEGMENT;
    }

    public static Pattern changeTopicPattern(String prefix) {
        return Pattern.compile(changeTopicRegex(prefix));
    }

    public static String deadLetterTopic(String prefix) {
        return prefix + DLQ_SUFFIX;
    }

    /**
     * True when {@code engineTopic} is one of the engine's row-change topics ({@code <enginePrefix>.<db>.<table>}); its
     * schema-change topic is {@code <enginePrefix>}, heartbeats {@code __debezium-heartbeat.*}.
     */
    public static boolean isEngineChangeTopic(String enginePrefix, String engineTopic) {
        return engineTopic.startsWith(enginePrefix + ".") && engineTopic.indexOf('.', enginePrefix.length() + 1) > 0;
    }

    private static String segment(String name) {
        return name.replace('.', '_');
    }
}
