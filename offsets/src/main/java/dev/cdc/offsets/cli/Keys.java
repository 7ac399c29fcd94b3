package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Primary-key values as the commands print them: {@code id=5}, {@code order_id=2, line_no=1}. */
final class Keys {

    private Keys() {
    }

    static String describe(List<String> columns, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            parts.add(columns.get(i) + "=" + values.get(i));
        }
        return String.join(", ", parts);
    }

    static ObjectNode json(List<String> columns, List<String> values) {
        ObjectNode n = Json.object();
        if (values == null) {
            return null;
        }
        for (int i = 0; i < columns.size(); i++) {
            n.put(columns.get(i), values.get(i));
        }
        return n;
    }

    /** "a,b" → [a, b], one value per key column. */
    static List<String> parse(String text, List<String> columns, String flag) {
        String[] parts = text.split(",", -1);
        if (parts.length != columns.size()) {
            throw CliException.usage(flag + " '" + text + "' has " + parts.length + " value(s), the primary key (" + String.join(", ", columns)
                    + ") has " + columns.size(), "give one value per key column, separated by commas");
        }
        List<String> values = new ArrayList<>();
        for (String p : parts) {
            values.add(p.trim());
        }
        return values;
    }
}
