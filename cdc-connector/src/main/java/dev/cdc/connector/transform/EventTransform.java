package dev.cdc.connector.transform;

import com.fasterxml.jackson.core.JsonFactory;
import dev.cdc.connector.schema.SchemaChangeEvents;
import dev.cdc.contract.BinlogCoordinates;
import dev.cdc.contract.EventFormat;
import dev.cdc.contract.Headers;
import dev.cdc.contract.TopicNames;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import io.debezium.relational.TableId;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Debezium change records into the event format (docs/event-format.md, version {@link EventFormat#VERSION}):
 * one topic per table ({@link TopicNames}), key = primary-key JSON, value = op, source position with its lineage,
 * before, after and column metadata. One transform serves one leadership term, whose lineage generation is fixed.
 * Not thread-safe: the engine hands batches to one consumer thread.
 */
public final class EventTransform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventTransform.class);

    private final String connectorName;
    private final long generation;
    private final String server;
    private final byte[] generationHeader;
    private final ColumnCatalog catalog;
    private final String debeziumPrefix;
    private final String topicPrefix;
    private final byte[] instanceHeader;
    private final byte[] connectorHeader;
    private final JsonFactory factory = new JsonFactory();
    private final Map<Schema, TableCodec> codecs = new IdentityHashMap<>();
    private final Map<Schema, ValueEncoder[]> keyEncoders = new IdentityHashMap<>();
    private final Map<String, String> topics = new HashMap<>();
    private final Set<String> lossyColumnsWarned = new HashSet<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
    private final SchemaChangeEvents schemaChanges;
    private BinlogCoordinates lastPosition;
    private boolean snapshotMarkers = true;
    private final Set<String> ignoredTables = new HashSet<>();
    private int sub;

    /**
     * @param debeziumPrefix the engine's {@code topic.prefix} (part of the offset key, so it never changes)
     * @param topicPrefix    the prefix of our topics
     * @param generation     the lineage generation of this term's positions
     * @param server         the identity of the source server this term streams from
     */
    public EventTransform(String connectorName, String debeziumPrefix, String topicPrefix, String instanceId, ColumnCatalog catalog,
                          long generation, String server) {
        this.connectorName = connectorName;
        this.generation = generation;
        this.server = server;
        this.generationHeader = Long.toString(generation).getBytes(StandardCharsets.UTF_8);
        this.catalog = catalog;
        this.debeziumPrefix = debeziumPrefix;
        this.topicPrefix = topicPrefix;
        this.instanceHeader = instanceId.getBytes(StandardCharsets.UTF_8);
        this.connectorHeader = connectorName.getBytes(StandardCharsets.UTF_8);
        this.schemaChanges = new SchemaChangeEvents(connectorName, debeziumPrefix, topicPrefix, instanceId, generation, server);
    }

    /**
     * For a schema-change record: its schema-change events, one per partition of each changed table's topic, added to
     * {@code out} ({@link SchemaChangeEvents}). A term without snapshot markers (schema recovery) sends no snapshot CREATEs.
     */
    public void schemaChangeEvents(SourceRecord record, long epoch, ToIntFunction<String> partitions, List<ProducerRecord<byte[], byte[]>> out) {
        if (!snapshotMarkers && record.value() instanceof Struct v && v.schema().field("source") != null
                && v.getStruct("source").schema().field("snapshot") != null && v.getStruct("source").get("snapshot") != null
                && !"false".equalsIgnoreCase(v.getStruct("source").get("snapshot").toString())) {
            return;
        }
        schemaChanges.append(record, epoch, partitions, out);
    }

    /** The Kafka record for a Debezium record, or null when it is not a row change (schema change, heartbeat). */
    public ProducerRecord<byte[], byte[]> transform(SourceRecord record, long epoch) {
        String topic = topicFor(record);
        if (topic == null) {
            return null;
        }
        BinlogCoordinates position = BinlogCoordinates.fromOffset(record.sourceOffset());
        // One binlog row can yield several records with one offset (a primary-key update: delete, tombstone, create);
        // sub numbers them so that positions stay unique. Replays restart at a row boundary, so the numbering repeats.
        sub = position.equals(lastPosition) ? sub + 1 : 0;
        lastPosition = position;
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.POSITION, position.header(sub).getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.GENERATION, generationHeader);
        headers.add(Headers.EPOCH, Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.INSTANCE, instanceHeader);
        headers.add(Headers.CONNECTOR, connectorHeader);
        if (record.value() == null) {
            // Tombstone after a delete: same key, null value, so compacted topics drop the row. A row of a table without
            // a primary key has no key of its own to drop: no tombstone.
            byte[] key = keyBytes(record);
            return key == null ? null : new ProducerRecord<>(topic, null, key, null, headers);
        }
        Struct envelope = (Struct) record.value();
        if (envelope.schema().field("op") == null || "t".equals(envelope.getString("op"))) {
            // A truncate is a schema change in our format (schemaChangeEvents).
            return null;
        }
        TableCodec codec = codecFor(envelope.schema(), record.keySchema(), envelope.getStruct("source"));
        byte[] key = keyBytes(record);
        // A table without a primary key: its changes share one key, the table, so they stay in order on one partition.
        key = key != null ? key : tableKey(envelope.getStruct("source"));
        return new ProducerRecord<>(topic, null, key, valueBytes(envelope, codec, position), headers);
    }

    /**
     * For a snapshot's schema-change record (the engine's {@code CREATE TABLE} of each captured table, sent before the
     * table's rows): one snapshot-started marker per partition of each created table's topic, added to {@code out}.
     * Other records add nothing. The processor removes the table's earlier copy when the first of them arrives, and
     * skips older changes of the table from then on (docs/design.md, "Converge").
     */
    public void snapshotStartedMarkers(SourceRecord record, long epoch, ToIntFunction<String> partitions, List<ProducerRecord<byte[], byte[]>> out) {
        if (!snapshotMarkers || !record.topic().equals(debeziumPrefix) || !(record.value() instanceof Struct value) || value.schema().field("tableChanges") == null) {
            return;
        }
        Struct source = value.getStruct("source");
        Object snapshot = source == null || source.schema().field("snapshot") == null ? null : source.get("snapshot");
        if (snapshot == null || "false".equalsIgnoreCase(snapshot.toString()) || "incremental".equalsIgnoreCase(snapshot.toString())) {
            return;
        }
        List<?> changes = value.getArray("tableChanges");
        if (changes == null) {
            return;
        }
        BinlogCoordinates position = BinlogCoordinates.fromOffset(record.sourceOffset());
        for (Object change : changes) {
            Struct c = (Struct) change;
            if (!"CREATE".equals(c.getString("type"))) {
                continue;
            }
            TableId table = TableId.parse(c.getString("id"));
            String db = table.catalog() != null ? table.catalog() : table.schema();
            if (ignored(db, table.table())) {
                continue;
            }
            String topic = TopicNames.changeTopic(topicPrefix, db, table.table());
            byte[] marker = markerBytes(db, table.table(), position, source);
            int count = partitions.applyAsInt(topic);
            for (int partition = 0; partition < count; partition++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(Headers.POSITION, position.header(0).getBytes(StandardCharsets.UTF_8));
                headers.add(Headers.GENERATION, generationHeader);
                headers.add(Headers.EPOCH, Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
                headers.add(Headers.INSTANCE, instanceHeader);
                headers.add(Headers.CONNECTOR, connectorHeader);
                out.add(new ProducerRecord<>(topic, partition, (byte[]) null, marker, headers));
            }
        }
    }

    /** Sends nothing for this table ({@code db.table}): the connector's own signal table (docs/design.md, "Snapshots"). */
    public void ignoreTable(String table) {
        ignoredTables.add(table.toLowerCase(java.util.Locale.ROOT));
    }

    private boolean ignored(String db, String table) {
        return !ignoredTables.isEmpty() && ignoredTables.contains((db + "." + table).toLowerCase(java.util.Locale.ROOT));
    }

    /** For a term whose snapshot reads only the tables' structure (schema recovery): it announces no snapshot. */
    public void withoutSnapshotMarkers() {
        snapshotMarkers = false;
    }

    private byte[] markerBytes(String db, String table, BinlogCoordinates position, Struct source) {
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeNumberField("v", EventFormat.VERSION);
            g.writeStringField("op", EventFormat.OP_MARKER);
            g.writeStringField("marker", EventFormat.MARKER_SNAPSHOT_STARTED);
            g.writeObjectFieldStart("source");
            g.writeStringField("connector", connectorName);
            g.writeNumberField("generation", generation);
            g.writeStringField("server", server);
            g.writeStringField("db", db);
            g.writeStringField("table", table);
            g.writeStringField("file", position.file());
            g.writeNumberField("pos", position.pos());
            g.writeNumberField("event", 0);
            g.writeNumberField("row", 0);
            g.writeNumberField("sub", 0);
            Object ts = source.get("ts_ms");
            g.writeNumberField("ts_ms", ts == null ? 0 : ((Number) ts).longValue());
            g.writeBooleanField("snapshot", true);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Releases the connection of the column catalog, if it has one. */
    @Override
    public void close() {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort when a term ends
            }
        }
    }

    /**
     * Our topic for the record, from the table named in its source block; null for records that are not row changes.
     * Tombstones carry no source block: they follow their delete, whose topic is cached by the engine's topic name.
     */
    private String topicFor(SourceRecord record) {
        String debeziumTopic = record.topic();
        String cached = topics.get(debeziumTopic);
        if (cached != null || topics.containsKey(debeziumTopic)) {
            return cached;
        }
        String topic = null;
        if (TopicNames.isEngineChangeTopic(debeziumPrefix, debeziumTopic)) {
            Struct source = record.value() instanceof Struct v && v.schema().field("source") != null ? v.getStruct("source") : null;
            topic = source != null
                    ? TopicNames.changeTopic(topicPrefix, source.getString("db"), source.getString("table"))
                    : topicPrefix + debeziumTopic.substring(debeziumPrefix.length());
            if (source != null && ignored(source.getString("db"), source.getString("table"))) {
                topic = null;
            }
        }
        if (topics.size() > 10_000) {
            topics.clear();
        }
        topics.put(debeziumTopic, topic);
        return topic;
    }

    private TableCodec codecFor(Schema envelopeSchema, Schema keySchema, Struct source) {
        TableCodec codec = codecs.get(envelopeSchema);
        if (codec == null) {
            if (codecs.size() > 10_000) {
                codecs.clear();
            }
            Map<String, ColumnCatalog.CatalogColumn> columns = catalog.of(source.getString("db"), source.getString("table"));
            codec = new TableCodec(envelopeSchema, keySchema, columns, factory);
            warnAboutLossyColumns(source.getString("db"), source.getString("table"), codec.metadata);
            codecs.put(envelopeSchema, codec);
        }
        return codec;
    }

    /** One WARN per table and column whose values may not arrive exactly (docs/event-format.md, "What a target cannot hold"). */
    private void warnAboutLossyColumns(String db, String table, ColumnMetadata metadata) {
        for (ColumnMetadata.Column c : metadata.columns()) {
            String base = c.type().split(" ")[0];
            if (c.nullable() && (base.equals("DATE") || base.equals("DATETIME")) && catalog.zeroDatesAllowed()
                    && lossyColumnsWarned.add(db + "." + table + "." + c.name())) {
                log.warn("Connector {}: column {}.{}.{} ({}, NULL-able) may hold zero dates, which the source's sql_mode allows: Debezium reads "
                        + "them as NULL, so they arrive as NULL. Add NO_ZERO_DATE,NO_ZERO_IN_DATE to the source's sql_mode or make the column "
                        + "NOT NULL to keep them exact", connectorName, db, table, c.name(), c.sqlType());
            }
        }
    }

    private byte[] keyBytes(SourceRecord record) {
        if (!(record.key() instanceof Struct key)) {
            return null;
        }
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer)) {
            writeRow(g, key, keyEncoders.computeIfAbsent(key.schema(), s -> TableCodec.encoders(s, null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** The key of a table without a primary key: {@code "<db>.<table>"} as a JSON string. */
    private byte[] tableKey(Struct source) {
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer)) {
            g.writeString(source.getString("db") + "." + source.getString("table"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private byte[] valueBytes(Struct envelope, TableCodec codec, BinlogCoordinates position) {
        Struct source = envelope.getStruct("source");
        Struct before = envelope.getStruct("before");
        Struct after = envelope.getStruct("after");
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeNumberField("v", EventFormat.VERSION);
            g.writeStringField("op", envelope.getString("op"));
            g.writeFieldName("source");
            writeSource(g, source, position);
            g.writeFieldName("key");
            Struct keyRow = after != null ? after : before;
            g.writeStartObject();
            for (int i : codec.keyIndexes) {
                Field f = codec.rowFields.get(i);
                g.writeFieldName(f.name());
                writeValue(g, keyRow.getWithoutDefault(f.name()), codec.rowEncoders[i]);
            }
            g.writeEndObject();
            g.writeFieldName("before");
            writeRow(g, before, codec.rowEncoders);
            g.writeFieldName("after");
            writeRow(g, after, codec.rowEncoders);
            g.writeFieldName("columns");
            g.writeRawValue(codec.metadata.json());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private void writeSource(JsonGenerator g, Struct source, BinlogCoordinates position) throws IOException {
        g.writeStartObject();
        g.writeStringField("connector", connectorName);
        g.writeNumberField("generation", generation);
        g.writeStringField("server", server);
        g.writeStringField("db", source.getString("db"));
        g.writeStringField("table", source.getString("table"));
        g.writeStringField("file", position.file() != null ? position.file() : source.getString("file"));
        g.writeNumberField("pos", position.file() != null ? position.pos() : source.getInt64("pos"));
        g.writeNumberField("event", position.event());
        g.writeNumberField("row", position.row());
        g.writeNumberField("sub", sub);
        Object gtid = source.schema().field("gtid") != null ? source.get("gtid") : null;
        if (gtid == null) {
            g.writeNullField("gtid");
        } else {
            g.writeStringField("gtid", gtid.toString());
        }
        Object serverId = source.get("server_id");
        g.writeNumberField("server_id", serverId == null ? 0 : ((Number) serverId).longValue());
        Object ts = source.get("ts_ms");
        g.writeNumberField("ts_ms", ts == null ? 0 : ((Number) ts).longValue());
        Object snapshot = source.get("snapshot");
        g.writeBooleanField("snapshot", snapshot != null && !"false".equalsIgnoreCase(snapshot.toString()));
        g.writeEndObject();
    }

    private static void writeRow(JsonGenerator g, Struct row, ValueEncoder[] encoders) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        List<Field> fields = row.schema().fields();
        g.writeStartObject();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            g.writeFieldName(f.name());
            // Struct.get(Field) answers the column's default for a null: an explicit NULL must stay NULL.
            writeValue(g, row.getWithoutDefault(f.name()), encoders[i]);
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object value, ValueEncoder encoder) throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            encoder.write(g, value);
        }
    }

    /** Everything derived from one table version's schema. */
    private static final class TableCodec {
        final List<Field> rowFields;
        final ValueEncoder[] rowEncoders;
        final int[] keyIndexes;
        final ColumnMetadata metadata;

        TableCodec(Schema envelopeSchema, Schema keySchema, Map<String, ColumnCatalog.CatalogColumn> catalog, JsonFactory factory) {
            Schema rowSchema = envelopeSchema.field("after").schema();
            Set<String> keyNames = new HashSet<>();
            if (keySchema != null && keySchema.type() == Schema.Type.STRUCT) {
                keySchema.fields().forEach(f -> keyNames.add(f.name()));
            }
            this.rowFields = rowSchema.fields();
            this.metadata = new ColumnMetadata(rowSchema, keyNames, catalog);
            this.rowEncoders = encoders(rowSchema, metadata);
            metadata.render(rowFields, rowEncoders, factory);
            this.keyIndexes = rowFields.stream().filter(f -> keyNames.contains(f.name())).mapToInt(Field::index).toArray();
        }

        static ValueEncoder[] encoders(Schema rowSchema, ColumnMetadata metadata) {
            List<Field> fields = rowSchema.fields();
            ValueEncoder[] encoders = new ValueEncoder[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                ColumnMetadata.Column column = metadata != null ? metadata.column(i) : ColumnMetadata.column(fields.get(i), true);
                encoders[i] = ValueEncoder.forField(fields.get(i), column);
            }
            return encoders;
        }
    }
}
