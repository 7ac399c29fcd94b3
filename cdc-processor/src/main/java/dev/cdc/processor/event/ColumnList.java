package dev.cdc.processor.event;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.RandomAccess;

/**
 * An event's column metadata in table order, with a lookup by name. Immutable: one instance serves every event of the
 * same table version ({@link ColumnListCache}), so work derived from it (type parsing, target checks) can be done once.
 */
public final class ColumnList extends AbstractList<ColumnMeta> implements RandomAccess {

    public static final ColumnList EMPTY = new ColumnList(List.of());

    private final List<ColumnMeta> columns;
    private final Map<String, ColumnMeta> byName = new HashMap<>();
    private final Map<String, ColumnMeta> byLowerCaseName = new HashMap<>();

    ColumnList(List<ColumnMeta> columns) {
        this.columns = List.copyOf(columns);
        for (ColumnMeta c : this.columns) {
            // The first of two equal names wins, as a search from the start would find it.
            byName.putIfAbsent(c.name(), c);
            byLowerCaseName.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c);
        }
    }

    @Override
    public ColumnMeta get(int index) {
        return columns.get(index);
    }

    @Override
    public int size() {
        return columns.size();
    }

    /** The column {@code name} (exact, then case-insensitive match, as MySQL compares column names), or null. */
    public ColumnMeta named(String name) {
        ColumnMeta exact = byName.get(name);
        return exact != null ? exact : byLowerCaseName.get(name.toLowerCase(Locale.ROOT));
    }
}
