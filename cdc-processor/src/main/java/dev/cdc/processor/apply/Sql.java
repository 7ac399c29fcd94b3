package dev.cdc.processor.apply;

/** Small SQL helpers. */
public final class Sql {

    private Sql() {
    }

    /** A MySQL identifier in backticks, backticks inside doubled. */
    public static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** The session settings every target connection runs with: UTC for TIMESTAMP values and strict value checks. */
    public static final String SESSION_SETUP =
            "SET SESSION time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'";
}
