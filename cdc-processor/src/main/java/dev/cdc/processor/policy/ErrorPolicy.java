package dev.cdc.processor.policy;

import java.util.Locale;

/**
 * What happens to a record the target keeps refusing on its data (docs/design.md, invariant 9).
 * <ul>
 *   <li>{@link #STOP}: its partition stops at it; the record is retried with a capped backoff until it applies (the
 *       cause was fixed) or an operator skips or dead-letters it. Nothing is passed over silently.</li>
 *   <li>{@link #DEAD_LETTER}: after {@code max-attempts} it goes to the dead-letter topic and table, the partition moves
 *       on, and the table counts as diverged until its dead letters are replayed or purged.</li>
 * </ul>
 */
public enum ErrorPolicy {
    STOP("stop"),
    DEAD_LETTER("dead-letter");

    private final String setting;

    ErrorPolicy(String setting) {
        this.setting = setting;
    }

    /** The name in the configuration ({@code stop}, {@code dead-letter}). */
    public String setting() {
        return setting;
    }

    /** The policy named {@code text} (case-insensitive, {@code _} for {@code -}), or null when there is none. */
    public static ErrorPolicy parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ErrorPolicy p : values()) {
            if (p.setting.equals(t)) {
                return p;
            }
        }
        return null;
    }
}
