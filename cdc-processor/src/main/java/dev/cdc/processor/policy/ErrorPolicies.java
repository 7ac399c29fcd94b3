package dev.cdc.processor.policy;

import dev.cdc.contract.OperatorFailure;
import dev.cdc.processor.config.ProcessorConfig;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The error policy of each source table: {@code cdc.processor.error-policy} for all tables, overridden per table by
 * {@code cdc.processor.error-policy-tables} entries {@code <db>.<table>=<policy>}. Tables are named as in the topic
 * {@code <prefix>.<db>.<table>}, compared without regard to case.
 */
@Singleton
public class ErrorPolicies {

    private final ErrorPolicy defaultPolicy;
    private final Map<String, ErrorPolicy> byTable;

    public ErrorPolicies(ProcessorConfig config) {
        this(config.getErrorPolicy(), config.getErrorPolicyTables());
    }

    /**
     * @throws OperatorFailure with a one-line message naming the key and the fix, for an unknown policy or a
     *                                  malformed entry
     */
    public ErrorPolicies(String defaultPolicy, List<String> tables) {
        ErrorPolicy d = ErrorPolicy.parse(defaultPolicy);
        if (d == null) {
            throw OperatorFailure.configuration(ProcessorConfig.PREFIX + ".error-policy '" + defaultPolicy + "' is not a policy", "use "
                    + ErrorPolicy.STOP.setting() + " (the default) or " + ErrorPolicy.DEAD_LETTER.setting() + ".");
        }
        Map<String, ErrorPolicy> map = new LinkedHashMap<>();
        for (String entry : tables == null ? List.<String>of() : tables) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String table = eq < 0 ? "" : entry.substring(0, eq).trim();
            ErrorPolicy p = eq < 0 ? null : ErrorPolicy.parse(entry.substring(eq + 1));
            if (p == null || !table.matches("[^.=\\s]+\\.[^.=\\s]+")) {
                throw OperatorFailure.configuration(ProcessorConfig.PREFIX + ".error-policy-tables entry '" + entry.trim()
                        + "' is not <db>.<table>=<policy>", "e.g. shop.audit_log=" + ErrorPolicy.DEAD_LETTER.setting() + ".");
            }
            map.put(table.toLowerCase(Locale.ROOT), p);
        }
        this.defaultPolicy = d;
        this.byTable = Collections.unmodifiableMap(map);
    }

    /** The policy of source table {@code dbTable} ({@code <db>.<table>}; null: the default). */
    public ErrorPolicy of(String dbTable) {
        if (dbTable == null) {
            return defaultPolicy;
        }
        return byTable.getOrDefault(dbTable.toLowerCase(Locale.ROOT), defaultPolicy);
    }

    public ErrorPolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** The source table of change topic {@code <prefix>.<db>.<table>}: its last two segments. */
    public static String tableOfTopic(String topic) {
        int last = topic.lastIndexOf('.');
        int before = last <= 0 ? -1 : topic.lastIndexOf('.', last - 1);
        return before < 0 ? topic : topic.substring(before + 1);
    }
}
