package dev.cdc.demo.bench;

import java.util.HashMap;
import java.util.Map;

/** A benchmark's {@code -Ddemo.args}: {@code key=value} pairs separated by commas or blanks. */
final class BenchmarkOptions {

    private BenchmarkOptions() {
    }

    /** The pairs; anything else is refused with one line that lists the keys ({@code keys}) the benchmark takes. */
    static Map<String, String> parse(String[] args, String keys) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            for (String pair : arg.split("[,\\s]+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                } else if (!pair.isBlank()) {
                    throw new IllegalArgumentException("option '" + pair + "' is not key=value (" + keys + ")");
                }
            }
        }
        return options;
    }
}
