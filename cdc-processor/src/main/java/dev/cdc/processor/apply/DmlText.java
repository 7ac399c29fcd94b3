package dev.cdc.processor.apply;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

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

    private final Map<Shape, String> texts = new ConcurrentHashMap<>();
    private final Map<Shape, UpsertRows> upserts = new ConcurrentHashMap<>();

    /**
     * The upsert of rows with {@code columns}, as a multi-row statement: {@link UpsertRows#text(int)}. One statement of
     * many rows instead of a JDBC batch: the driver's rewrite of a batch into such a statement bound and measured every
     * value again (a third of the processor's CPU on a wide table, docs/benchmarks.md "Processor throughput").
     */
    UpsertRows upsert(String table, List<String> columns, List<String> keys) {
        return cached(upserts, new Shape(Kind.UPSERT, table, columns, keys), () -> {
            StringJoiner names = new StringJoiner(", ");
            StringJoiner marks = new StringJoiner(", ", "(", ")");
            StringJoiner updates = new StringJoiner(", ");
            for (String col : columns) {
                names.add(Sql.quote(col));
                marks.add("?");
                // Key columns too: the row found may be another row that holds a value of a secondary UNIQUE key, when
                // a primary-key change's insert (on the new key's partition) is applied before its delete (on the old
                // key's): that row then takes the new key, and the delete of the old key finds nothing, as on the source.
                updates.add(Sql.quote(col) + " = VALUES(" + Sql.quote(col) + ")");
            }
            String tail = keys.isEmpty() ? "" : " ON DUPLICATE KEY UPDATE " + updates;
            return new UpsertRows("INSERT INTO " + Sql.quote(table) + " (" + names + ") VALUES ", marks.toString(), tail, columns.size());
        });
    }

    /** {@code INSERT INTO t (columns) VALUES (?, …), (?, …) [ON DUPLICATE KEY UPDATE …]}, in parts. */
    record UpsertRows(String head, String row, String tail, int columns) {

        /** The statement for {@code rows} rows. */
        String text(int rows) {
            StringBuilder sql = new StringBuilder(head.length() + rows * (row.length() + 2) + tail.length()).append(head);
            for (int i = 0; i < rows; i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                sql.append(row);
            }
            return sql.append(tail).toString();
        }
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

    private String cached(Shape shape, Supplier<String> build) {
        return cached(texts, shape, build);
    }

    private static <T> T cached(Map<Shape, T> cache, Shape shape, Supplier<T> build) {
        T value = cache.get(shape);
        if (value == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            value = build.get();
            cache.put(shape, value);
        }
        return value;
    }
}
