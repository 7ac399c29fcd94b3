package dev.cdc.offsets.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Formatting of times, durations and values for the human-readable output. */
final class Text {

    private Text() {
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2025-11-23T16:00:00.123Z}; {@code null} stays null. */
    static String time(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A compact duration: {@code 850 ms}, {@code 42 s}, {@code 3 min 12 s}, {@code 2 h 5 min}, {@code 3 d 4 h}. */
    static String duration(Duration d) {
        long ms = Math.abs(d.toMillis());
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = ms / 1_000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3_600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86_400) {
            return (s / 3_600) + " h " + (s % 3_600 / 60) + " min";
        }
        return (s / 86_400) + " d " + (s % 86_400 / 3_600) + " h";
    }

    /** {@code 3 min 12 s ago} or {@code in 5 s}, relative to {@code now}. */
    static String relative(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        return d.isNegative() ? "in " + duration(d) : duration(d) + " ago";
    }

    /** The first line of a message, trimmed (error output is one line). */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** The most specific message in a cause chain, on one line. */
    static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : oneLine(message);
    }

    static String orDash(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : value.toString();
    }
}
