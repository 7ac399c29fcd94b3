package dev.cdc.processor.apply;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The text of the DML statements rows are applied with, built once per (statement kind, table, column set) and cached:
 * every row of a table usually has the same columns, and building the text for each row cost more than binding it.
 * <ul>
 *   <li>upsert: {@code INSERT ... ON DUPLICATE KEY UPDATE} of every given column (a plain INSERT for a table without key);</li>
 *   <li>delete by key: {@code DELETE ... WHERE <key columns>};</li>
 *   <li>for a table without a primary key, update and delete of one row equal to a full row image
 *       ({@link ImageColumn}, {@code LIMIT 1}).</li>
 * </ul>
 */
final class DmlText {

    private static final int MAX_CACHED = 10_000;

    private enum Kind { UPSERT, DELETE_BY_KEY, UPDATE_BY_IMAGE, DELETE_BY_IMAGE }

    private record Shape(Kind kind, String table, List<?> columns, List<?> other) {
    }

    private final Map<Shape, String> cache = new ConcurrentHashMap<>();

    String upsert(String table, List<String> columns, List<String> keys) {
        return cached(new Shape(Kind.UPSERT, table, columns, keys), () -> {
            Set<String> keySet = keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            StringJoiner names = new StringJoiner(", ");
            StringJoiner marks = new StringJoiner(", ");
            StringJoiner updates = new StringJoiner(", ");
            for (String col : columns) {
                names.add(Sql.quote(col));
                marks.add("?");
                if (!keySet.contains(col.toLowerCase(Locale.ROOT))) {
                    updates.add(Sql.quote(col) + " = VALUES(" + Sql.quote(col) + ")");
                }
            }
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(Sql.quote(table))
                    .append(" (").append(names).append(") VALUES (").append(marks).append(')');
            if (!keys.isEmpty()) {
                sql.append(" ON DUPLICATE KEY UPDATE ");
                sql.append(updates.length() > 0 ? updates.toString() : Sql.quote(keys.get(0)) + " = " + Sql.quote(keys.get(0)));
            }
            return sql.toString();
        });
    }

    String deleteByKey(String table, List<String> keys) {
        return cached(new Shape(Kind.DELETE_BY_KEY, table, keys, List.of()), () -> {
            StringJoiner where = new StringJoiner(" AND ");
            keys.forEach(k -> where.add(Sql.quote(k) + " = ?"));
            return "DELETE FROM " + Sql.quote(table) + " WHERE " + where;
        });
    }

    /** Sets {@code columns} of one row equal to {@code image}; parameters: the new values, then the image's. */
    String updateByImage(String table, List<String> columns, List<ImageColumn> image) {
        return cached(new Shape(Kind.UPDATE_BY_IMAGE, table, columns, image), () -> {
            StringJoiner set = new StringJoiner(", ");
            columns.forEach(c -> set.add(Sql.quote(c) + " = ?"));
            return "UPDATE " + Sql.quote(table) + " SET " + set + " WHERE " + ImageColumn.where(image) + " LIMIT 1";
        });
    }

    /** Deletes one row equal to {@code image}. */
    String deleteByImage(String table, List<ImageColumn> image) {
        return cached(new Shape(Kind.DELETE_BY_IMAGE, table, image, List.of()),
                () -> "DELETE FROM " + Sql.quote(table) + " WHERE " + ImageColumn.where(image) + " LIMIT 1");
    }

    private String cached(Shape shape, java.util.function.Supplier<String> build) {
        String sql = cache.get(shape);
        if (sql == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            sql = build.get();
            cache.put(shape, sql);
        }
        return sql;
    }
}
