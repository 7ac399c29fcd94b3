package dev.cdc.processor.schema;

import dev.cdc.contract.OperatorFailure;
import java.util.Locale;

/** How much of the source's schema changes the processor mirrors ({@code cdc.processor.schema-changes}). */
public enum SchemaChangeMode {
    /** Every schema change: the target's tables follow the source's. */
    MIRROR,
    /** Everything but dropping: a dropped column stays (made NULL-able), a dropped table stays. */
    ADDITIVE,
    /** No schema change; tables are still created, and columns added, from the rows' column metadata. */
    NONE;

    /** The mode named by {@code value} (any case), or a configuration failure that names the valid values. */
    public static SchemaChangeMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw OperatorFailure.configuration("cdc.processor.schema-changes is '" + value + "'", "set it to mirror, additive or none");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
