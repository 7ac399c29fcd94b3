package dev.cdc.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.PoisonEventException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns one row change into the statements that apply it, added to the transaction's {@link OrderedBatches} in event order.
 * <ul>
 *   <li>c/u/r: {@code INSERT ... ON DUPLICATE KEY UPDATE} of every column of {@code after}; an update whose key changed
 *       deletes the old key first (Debezium sends those as d + c by default);</li>
 *   <li>d: {@code DELETE ... WHERE <key>};</li>
 *   <li>a table without a primary key: c/r insert; u and d change exactly one row equal to the full {@code before} image
 *       ({@link ImageColumn}), and a change that finds no such row is a data error: the target no longer equals the
 *       source, and applying the change anyway would hide that.</li>
 * </ul>
 */
final class RowWriter {

    private final DmlText text = new DmlText();

    void write(OrderedBatches batches, PreparedChange change) throws SQLException {
        ChangeEvent event = change.event();
        List<String> keys = event.keyColumns();
        switch (event.op()) {
            case CREATE, READ -> upsert(batches, change, keys);
            case UPDATE -> {
                if (keys.isEmpty()) {
                    updateByImage(batches, change);
                    return;
                }
                if (keyChanged(event, keys)) {
                    deleteByKey(batches, change, keys, event.before());
                }
                upsert(batches, change, keys);
            }
            case DELETE -> {
                if (keys.isEmpty()) {
                    deleteByImage(batches, change);
                } else {
                    deleteByKey(batches, change, keys, null);
                }
            }
            default -> throw new IllegalStateException("not a row change: " + event.op());
        }
    }

    private static boolean keyChanged(ChangeEvent event, List<String> keys) {
        if (event.before() == null) {
            return false;
        }
        for (String k : keys) {
            JsonNode old = event.before().get(k);
            if (old != null && !old.equals(event.after().get(k))) {
                return true;
            }
        }
        return false;
    }

    private void upsert(OrderedBatches batches, PreparedChange change, List<String> keys) throws SQLException {
        ObjectNode after = change.event().after();
        List<String> columns = names(after);
        if (columns.isEmpty()) {
            throw new PoisonEventException("'after' has no columns");
        }
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            String col = columns.get(i);
            values[i] = ValueBinder.convert(change, col, i, after.get(col));
        }
        batches.upsert(text.upsert(change.table(), columns, keys), values);
    }

    private void deleteByKey(OrderedBatches batches, PreparedChange change, List<String> keys, ObjectNode image) throws SQLException {
        ChangeEvent event = change.event();
        List<Object> values = new ArrayList<>(keys.size());
        for (String k : keys) {
            JsonNode value = image != null ? image.get(k) : null;
            if (value == null && image == null && event.key() != null) {
                value = event.key().get(k);
            }
            if (value == null && event.before() != null) {
                value = event.before().get(k);
            }
            if (value == null || value.isNull()) {
                throw new PoisonEventException("delete without a value for key column `" + k + "`");
            }
            values.add(ValueBinder.convert(change, k, -1, value));
        }
        PreparedStatement ps = batches.batched(text.deleteByKey(change.table(), keys));
        for (int i = 0; i < values.size(); i++) {
            ValueBinder.bind(ps, i + 1, values.get(i));
        }
        ps.addBatch();
    }

    private void updateByImage(OrderedBatches batches, PreparedChange change) throws SQLException {
        ObjectNode before = requireBefore(change, "update");
        ObjectNode after = change.event().after();
        List<String> columns = names(after);
        List<String> imageColumns = names(before);
        PreparedStatement ps = batches.single(text.updateByImage(change.table(), columns, image(change, imageColumns)));
        int next = bindImage(ps, 1, change, after, columns);
        bindImage(ps, next, change, before, imageColumns);
        expectOneRow(ps.executeUpdate(), change, "update");
    }

    private void deleteByImage(OrderedBatches batches, PreparedChange change) throws SQLException {
        ObjectNode before = requireBefore(change, "delete");
        List<String> imageColumns = names(before);
        PreparedStatement ps = batches.single(text.deleteByImage(change.table(), image(change, imageColumns)));
        bindImage(ps, 1, change, before, imageColumns);
        expectOneRow(ps.executeUpdate(), change, "delete");
    }

    private static ObjectNode requireBefore(PreparedChange change, String what) {
        ObjectNode before = change.event().before();
        if (before == null || before.isEmpty()) {
            throw new PoisonEventException(what + " of a row of table `" + change.table()
                    + "`, which has no primary key, without its 'before' image: the row cannot be found");
        }
        return before;
    }

    private static void expectOneRow(int count, PreparedChange change, String what) {
        if (count != 1) {
            throw new PoisonEventException("the " + what + " of a row of table `" + change.table() + "` (no primary key) found no row equal to its"
                    + " 'before' image: the target table differs from its source; re-snapshot the table (offsets command) to repair it");
        }
    }

    private static List<ImageColumn> image(PreparedChange change, List<String> columns) {
        List<ImageColumn> image = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String col = columns.get(i);
            TargetTable.Column target = change.structure() == null ? null : change.structure().column(col);
            image.add(ImageColumn.of(col, target, ValueBinder.typeOf(change, col, i)));
        }
        return image;
    }

    /** Binds the values of {@code columns} of {@code row} from parameter {@code first} on; returns the next parameter index. */
    private static int bindImage(PreparedStatement ps, int first, PreparedChange change, ObjectNode row, List<String> columns) throws SQLException {
        int index = first;
        for (int i = 0; i < columns.size(); i++) {
            String col = columns.get(i);
            ValueBinder.bind(ps, index++, ValueBinder.convert(change, col, i, row.get(col)));
        }
        return index;
    }

    private static List<String> names(ObjectNode row) {
        List<String> names = new ArrayList<>(row.size());
        for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
