package dev.cdc.offsets.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations given on the command line: {@code 500ms}, {@code 2s}, {@code 1m}. */
final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private Durations() {
    }

    static Duration parse(String text, String flag) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw CliException.usage(flag + " '" + text + "' is not a duration", "use a number with ms, s or m, e.g. 500ms or 2s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
