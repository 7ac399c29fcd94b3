package dev.cdc.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.contract.SourcePosition;
import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.ColumnMeta;
import dev.cdc.processor.event.EventParser;
import dev.cdc.processor.event.PoisonEventException;
import dev.cdc.processor.position.TopicIds;
import dev.cdc.processor.schema.SchemaChange;
import dev.cdc.processor.schema.SchemaChangeApplier;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Applies change records to the target database: all records given in one transaction, in order, together with
 * the watermark of every partition involved (see {@link WatermarkStore}). A record below the partition's next
 * offset is skipped as redelivered (unless the offset belongs to an earlier topic of the same name); a streamed change
 * (c/u/d) at or below the partition's source position, lineage generation first, is skipped as a duplicate; snapshot
 * reads (r) are idempotent upserts without the position test and do not move the position. Tombstones (null values)
 * are ignored.
 *
 * <p>c/u/r become {@code INSERT ... ON DUPLICATE KEY UPDATE} of every column of {@code after}; d becomes
 * {@code DELETE ... WHERE <key columns>}. An update whose key changed deletes the old key first (Debezium sends
 * those as d + c by default). Tables without a key get plain inserts and single-row deletes matching
 * {@code before}.
 *
 * <p>Schema changes (op s): a CREATE TABLE is applied before the transaction; any other change stops its partition
 * until every partition of the topic reached it ({@link SchemaChangeApplier}, docs/design.md "Schema changes"). The
 * records of that partition after the change wait: they are applied in a further round once the change is applied, or
 * handed back in {@link ApplyResult#heldBack()} when other partitions still have older rows to apply.
 */
@Singleton
public class BatchApplier {

    private static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final DataSource dataSource;
    private final Set<Object> sessionReady = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    private final TargetSchema schema;
    private final TableNames names;
    private final TopicIds topicIds;
    private final SchemaChangeApplier schemaChanges;

    public BatchApplier(DataSource dataSource, TargetSchema schema, TableNames names, TopicIds topicIds, SchemaChangeApplier schemaChanges) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.names = names;
        this.topicIds = topicIds;
        this.schemaChanges = schemaChanges;
    }

    /** One record to apply; {@code change} for a schema change, {@code barrier} when it waits for the other partitions. */
    private record Item(ConsumerRecord<byte[], byte[]> record, ChangeEvent event, String table, TargetTable structure,
                        SchemaChange change, boolean barrier) {
        Item(ConsumerRecord<byte[], byte[]> record, ChangeEvent event, String table, TargetTable structure) {
            this(record, event, table, structure, null, false);
        }

        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    /**
     * Applies {@code records} in one target transaction; on failure everything is rolled back. Records behind a schema
     * change that waits for other partitions follow in further transactions, or are held back (see the class comment).
     */
    public ApplyResult apply(List<ConsumerRecord<byte[], byte[]>> records) throws ApplyFailure {
        ApplyResult result = new ApplyResult();
        List<ConsumerRecord<byte[], byte[]>> round = records;
        while (!round.isEmpty()) {
            round = applyRound(round, result);
        }
        return result;
    }

    /** One transaction; returns the records that may follow at once because the schema change before them is applied. */
    private List<ConsumerRecord<byte[], byte[]>> applyRound(List<ConsumerRecord<byte[], byte[]>> records, ApplyResult result) throws ApplyFailure {
        List<Item> items = new ArrayList<>(records.size());
        // Per partition stopped at a schema change: the records after it, applied only once the change is.
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> behindChange = new LinkedHashMap<>();
        List<Item> arrived = new ArrayList<>();
        Set<String> tables = new HashSet<>();
        ConsumerRecord<byte[], byte[]> current = null;
        try {
            // What the target already holds: a record applied before (seen again after a failure, a rebalance or a
            // restart) must not create or extend a table with its old columns, nor re-create a table dropped since.
            Map<TopicPartition, Watermark> applied = appliedState(records);
            // Parse everything and run any DDL first, outside the transaction: DDL commits implicitly in MySQL.
            for (ConsumerRecord<byte[], byte[]> r : records) {
                current = r;
                List<ConsumerRecord<byte[], byte[]>> waiting = behindChange.get(new TopicPartition(r.topic(), r.partition()));
                if (waiting != null) {
                    waiting.add(r);
                    continue;
                }
                if (r.value() == null) {
                    items.add(new Item(r, null, null, null));
                    continue;
                }
                ChangeEvent event = EventParser.parse(r.value());
                String table = names.target(event);
                tables.add(table);
                boolean passed = passed(applied.get(new TopicPartition(r.topic(), r.partition())), r, event);
                if (event.op() == ChangeEvent.Op.SCHEMA_CHANGE) {
                    SchemaChange change = SchemaChange.of(event, r.value());
                    schemaChanges.prepare();
                    boolean barrier = schemaChanges.needsBarrier(change);
                    if (barrier) {
                        behindChange.put(new TopicPartition(r.topic(), r.partition()), new ArrayList<>());
                    } else if (!passed) {
                        schemaChanges.applyNow(change);
                    }
                    items.add(new Item(r, event, table, null, change, barrier));
                    continue;
                }
                // A marker carries no columns: it never creates a table.
                TargetTable structure = event.op() == ChangeEvent.Op.SNAPSHOT_STARTED || passed ? null : schema.ensure(table, event);
                items.add(new Item(r, event, table, structure));
            }
        } catch (SQLException | RuntimeException e) {
            tables.forEach(schema::invalidate);
            throw ApplyFailure.of(e, current);
        }
        current = null;
        Connection c = null;
        try {
            c = begin();
            Map<TopicPartition, Watermark> marks = lockWatermarks(c, items);
            Map<String, SourcePosition> snapshots = TableSnapshots.lock(c, tables);
            try (Statements statements = new Statements(c)) {
                for (Item item : items) {
                    current = item.record();
                    Watermark wm = marks.get(item.partition());
                    followTopicId(wm, result);
                    if (item.record().offset() < wm.nextOffset) {
                        result.countRedelivered();
                        continue;
                    }
                    if (item.barrier()) {
                        if (item.event().position().isAtOrBelow(wm.position)) {
                            // A re-sent copy of a change this partition is past already.
                            wm.nextOffset = item.record().offset() + 1;
                            wm.dirty = true;
                            result.duplicate();
                            continue;
                        }
                        // Every row before the change on this partition is in this transaction: it arrives with them.
                        // Its watermark stays on the change until the change is applied.
                        statements.flush();
                        schemaChanges.arrive(c, item.change(), item.record().topic(), item.record().partition());
                        arrived.add(item);
                        continue;
                    }
                    wm.nextOffset = item.record().offset() + 1;
                    wm.dirty = true;
                    ChangeEvent event = item.event();
                    if (event == null) {
                        result.tombstone();
                        continue;
                    }
                    if (event.op() == ChangeEvent.Op.SNAPSHOT_STARTED) {
                        statements.flush();
                        startSnapshot(c, item, snapshots, result);
                        continue;
                    }
                    if (event.op() == ChangeEvent.Op.SCHEMA_CHANGE) {
                        // Applied before the transaction (CREATE TABLE), or not mirrored.
                        if (!event.snapshot() && !event.position().isAtOrBelow(wm.position)) {
                            wm.position = event.position();
                        }
                        continue;
                    }
                    if (event.op() != ChangeEvent.Op.READ) {
                        if (event.position().isAtOrBelow(wm.position)) {
                            result.duplicate();
                            continue;
                        }
                        if (event.position().startsNewGeneration(wm.position)) {
                            result.generationChanged(item.partition(), wm.position.generation(), event.position().generation(), event.server());
                        }
                        wm.position = event.position();
                    }
                    if (supersededBySnapshot(event, snapshots.get(item.table()))) {
                        result.countSuperseded();
                        continue;
                    }
                    applyRow(statements, item);
                    result.applied(event.op());
                }
                statements.flush();
            }
            current = null;
            for (Watermark wm : marks.values()) {
                if (wm.dirty) {
                    WatermarkStore.save(c, wm);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            tables.forEach(schema::invalidate);
            throw ApplyFailure.of(e, current);
        } finally {
            closeQuietly(c);
        }
        return afterSchemaChanges(arrived, behindChange, result);
    }

    /**
     * For each partition that arrived at a schema change: applies the change when every copy arrived, moves the
     * partition past it and returns the records behind it; otherwise holds the partition back on the change. Partitions
     * whose change turned out to be passed already continue too.
     */
    private List<ConsumerRecord<byte[], byte[]>> afterSchemaChanges(List<Item> arrived,
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> behindChange, ApplyResult result) throws ApplyFailure {
        List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
        for (Item item : arrived) {
            boolean applied;
            try {
                applied = schemaChanges.tryComplete(item.change());
            } catch (SQLException | RuntimeException e) {
                throw ApplyFailure.of(e, item.record());
            }
            List<ConsumerRecord<byte[], byte[]>> behind = behindChange.remove(item.partition());
            if (applied) {
                skipPast(item.record());
                result.schemaChangePassed();
                next.addAll(behind);
            } else {
                result.holdBack(item.partition(), item.record().offset());
            }
        }
        behindChange.values().forEach(next::addAll);
        return next;
    }

    /**
     * A snapshot of the item's table starts: the first of its markers (one per partition) removes the table's earlier
     * copy; the others, and a replayed one, find it recorded. From then on older changes of the table are superseded.
     */
    private static void startSnapshot(Connection c, Item item, Map<String, SourcePosition> snapshots, ApplyResult result) throws SQLException {
        SourcePosition start = TableSnapshots.coordinates(item.event().position());
        long removed = TableSnapshots.start(c, item.table(), start);
        if (removed >= 0) {
            result.snapshotStarted(item.table(), start, removed);
        }
        SourcePosition known = snapshots.get(item.table());
        if (known == null || start.compareTo(known) > 0) {
            snapshots.put(item.table(), start);
        }
    }

    /**
     * True when the table's latest snapshot started after this change: the snapshot already holds its effect (or the
     * lack of it), so applying it now, after the earlier copy was removed, could only bring back what the source no
     * longer has. Snapshot reads compare by the snapshot they belong to.
     */
    private static boolean supersededBySnapshot(ChangeEvent event, SourcePosition snapshotStart) {
        if (snapshotStart == null || event.position() == null) {
            return false;
        }
        SourcePosition p = event.op() == ChangeEvent.Op.READ ? TableSnapshots.coordinates(event.position()) : event.position();
        return p.compareTo(snapshotStart) < 0;
    }

    /** The watermarks of the records' partitions as they are now, read without locks (they only move forward). */
    private Map<TopicPartition, Watermark> appliedState(List<ConsumerRecord<byte[], byte[]>> records) throws SQLException {
        Set<String> topics = new java.util.TreeSet<>();
        records.forEach(r -> topics.add(r.topic()));
        Map<TopicPartition, Watermark> state = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String topic : topics) {
                WatermarkStore.positions(c, topic).forEach((partition, wm) -> state.put(new TopicPartition(topic, partition), wm));
            }
        }
        return state;
    }

    /** True when {@code wm} says the record is applied already (same test as in the transaction, on a possibly older state). */
    private boolean passed(Watermark wm, ConsumerRecord<byte[], byte[]> record, ChangeEvent event) {
        if (wm == null) {
            return false;
        }
        String currentId = topicIds.get(record.topic());
        if (wm.topicId() != null && currentId != null && !currentId.equals(wm.topicId())) {
            return false;
        }
        if (record.offset() < wm.nextOffset()) {
            return true;
        }
        return !event.snapshot() && event.op() != ChangeEvent.Op.READ && event.op() != ChangeEvent.Op.SNAPSHOT_STARTED
                && event.position() != null && event.position().isAtOrBelow(wm.position());
    }

    /**
     * Ties the watermark's next offset to the topic's current id: when the topic was deleted and recreated, its offsets
     * start again at 0, and the old next offset must not make the new topic's first records look redelivered.
     */
    private void followTopicId(Watermark wm, ApplyResult result) {
        String current = topicIds.get(wm.topic);
        if (current == null || current.equals(wm.topicId)) {
            return;
        }
        if (wm.topicId != null) {
            result.topicRecreated(new TopicPartition(wm.topic, wm.partition), wm.nextOffset);
            wm.nextOffset = 0;
        }
        wm.topicId = current;
        wm.dirty = true;
    }

    /**
     * Moves the partition's watermark past a record that was dead-lettered, so that neither a redelivery nor a
     * re-sent copy of it (same source position) is applied or dead-lettered again.
     */
    public void skipPast(ConsumerRecord<byte[], byte[]> record) throws ApplyFailure {
        ChangeEvent event = null;
        if (record.value() != null) {
            try {
                event = EventParser.parse(record.value());
            } catch (RuntimeException unparseable) {
                // A poison record may be unparseable: only its offset moves the watermark then.
            }
        }
        Connection c = null;
        try {
            c = begin();
            Watermark wm = WatermarkStore.lock(c, record.topic(), record.partition());
            followTopicId(wm, new ApplyResult());
            if (record.offset() >= wm.nextOffset) {
                wm.nextOffset = record.offset() + 1;
                if (event != null && event.op() != ChangeEvent.Op.READ && event.position() != null
                        && !event.position().isAtOrBelow(wm.position)) {
                    wm.position = event.position();
                }
                WatermarkStore.save(c, wm);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw ApplyFailure.of(e, record);
        } finally {
            closeQuietly(c);
        }
    }

    private Connection begin() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (c.getAutoCommit()) {
                c.setAutoCommit(false);
            }
            // Session settings are set once per physical connection, not once per batch (a round trip each).
            Object physical = c.unwrap(Connection.class);
            if (!sessionReady.contains(physical)) {
                try (Statement st = c.createStatement()) {
                    st.execute(Sql.SESSION_SETUP);
                }
                sessionReady.add(physical);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static Map<TopicPartition, Watermark> lockWatermarks(Connection c, List<Item> items) throws SQLException {
        // Locked in one global order, so two instances sharing partitions during a rebalance cannot deadlock.
        Map<TopicPartition, Watermark> marks = new TreeMap<>(PARTITION_ORDER);
        for (Item item : items) {
            marks.putIfAbsent(item.partition(), null);
        }
        for (Map.Entry<TopicPartition, Watermark> e : marks.entrySet()) {
            e.setValue(WatermarkStore.lock(c, e.getKey().topic(), e.getKey().partition()));
        }
        return marks;
    }

    private void applyRow(Statements statements, Item item) throws SQLException {
        ChangeEvent event = item.event();
        List<String> keys = event.keyColumns();
        switch (event.op()) {
            case CREATE, READ -> upsert(statements, item, keys);
            case UPDATE -> {
                if (keys.isEmpty()) {
                    if (event.before() != null) {
                        deleteMatching(statements, item, event.before());
                    }
                } else if (keyChanged(event, keys)) {
                    deleteByKey(statements, item, keys, event.before());
                }
                upsert(statements, item, keys);
            }
            case DELETE -> {
                if (keys.isEmpty()) {
                    deleteMatching(statements, item, event.before());
                } else {
                    deleteByKey(statements, item, keys, null);
                }
            }
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

    private void upsert(Statements statements, Item item, List<String> keys) throws SQLException {
        ObjectNode after = item.event().after();
        List<String> columns = new ArrayList<>();
        after.fieldNames().forEachRemaining(columns::add);
        if (columns.isEmpty()) {
            throw new PoisonEventException("'after' has no columns");
        }
        Set<String> keySet = lower(keys);
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
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(Sql.quote(item.table()))
                .append(" (").append(names).append(") VALUES (").append(marks).append(')');
        if (!keys.isEmpty()) {
            sql.append(" ON DUPLICATE KEY UPDATE ");
            sql.append(updates.length() > 0 ? updates.toString() : Sql.quote(keys.get(0)) + " = " + Sql.quote(keys.get(0)));
        }
        PreparedStatement ps = statements.get(sql.toString());
        int i = 1;
        for (String col : columns) {
            bind(ps, i++, convert(item, col, after.get(col)));
        }
        ps.addBatch();
    }

    private void deleteByKey(Statements statements, Item item, List<String> keys, ObjectNode image) throws SQLException {
        ChangeEvent event = item.event();
        StringJoiner where = new StringJoiner(" AND ");
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
            where.add(Sql.quote(k) + " = ?");
            values.add(convert(item, k, value));
        }
        PreparedStatement ps = statements.get("DELETE FROM " + Sql.quote(item.table()) + " WHERE " + where);
        for (int i = 0; i < values.size(); i++) {
            bind(ps, i + 1, values.get(i));
        }
        ps.addBatch();
    }

    /** Tables without a primary key: delete one row equal to the row image (NULL-safe comparison). */
    private void deleteMatching(Statements statements, Item item, ObjectNode image) throws SQLException {
        if (image == null || image.isEmpty()) {
            throw new PoisonEventException("change to a table without key and without 'before' row image");
        }
        StringJoiner where = new StringJoiner(" AND ");
        List<Object> values = new ArrayList<>();
        for (Iterator<String> it = image.fieldNames(); it.hasNext(); ) {
            String col = it.next();
            where.add(Sql.quote(col) + " <=> ?");
            values.add(convert(item, col, image.get(col)));
        }
        PreparedStatement ps = statements.get("DELETE FROM " + Sql.quote(item.table()) + " WHERE " + where + " LIMIT 1");
        for (int i = 0; i < values.size(); i++) {
            bind(ps, i + 1, values.get(i));
        }
        ps.addBatch();
    }

    private static Object convert(Item item, String column, JsonNode value) {
        return ValueConverter.toJdbc(column, typeOf(item, column), value);
    }

    /** The event's source type for the column, else the target column's type. */
    static ColumnType typeOf(Item item, String column) {
        ColumnMeta meta = item.event().column(column);
        if (meta != null) {
            String type = meta.type() != null && !meta.type().isBlank() ? meta.type() : meta.sqlType();
            if (type != null && !type.isBlank()) {
                return ColumnType.of(type);
            }
        }
        TargetTable.Column target = item.structure() == null ? null : item.structure().column(column);
        return target == null ? ColumnType.UNKNOWN : target.type();
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else {
            ps.setObject(index, value);
        }
    }

    private static Set<String> lower(List<String> names) {
        Set<String> set = new LinkedHashSet<>();
        for (String n : names) {
            set.add(n.toLowerCase(Locale.ROOT));
        }
        return set;
    }

    private static void rollbackQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // The connection may be the thing that failed; closing it below discards the transaction anyway.
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Nothing to do: the pool replaces broken connections.
        }
    }

    /**
     * Prepared statements of one transaction, by SQL text. Rows are added to JDBC batches (sent as multi-row
     * statements with rewriteBatchedStatements): consecutive rows with the same SQL go together, and the pending
     * batch is sent before another statement is used, so the rows reach the target in event order.
     */
    private static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> bySql = new HashMap<>();
        private PreparedStatement pending;

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = bySql.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                bySql.put(sql, ps);
            }
            if (pending != null && pending != ps) {
                pending.executeBatch();
            }
            pending = ps;
            return ps;
        }

        void flush() throws SQLException {
            if (pending != null) {
                pending.executeBatch();
                pending = null;
            }
        }

        @Override
        public void close() {
            for (PreparedStatement ps : bySql.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // Closed with the connection anyway.
                }
            }
        }
    }
}
