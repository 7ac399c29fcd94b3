package dev.cdc.connector.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdc.contract.BinlogCoordinates;
import dev.cdc.contract.EventFormat;
import dev.cdc.contract.Headers;
import dev.cdc.contract.TopicNames;
import dev.cdc.contract.ddl.CreateLike;
import dev.cdc.contract.ddl.DdlTokens;
import dev.cdc.contract.ddl.RenamedTables;
import io.debezium.relational.TableId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium's schema-change records into schema-change events (op {@code s}, docs/event-format.md "Schema
 * changes"): one per changed table, sent to <b>every</b> partition of the table's topic (and of the old table's topic
 * for a rename, of the copied table's topic for a CREATE TABLE ... LIKE), so that on each partition it sits between the rows written before and after it. Each copy says how
 * many copies there are, so that the processor can wait until every partition reached the change before it applies it
 * (docs/design.md, "Schema changes").
 *
 * <p>While streaming every table change is sent (CREATE, ALTER, DROP, and TRUNCATE, which Debezium reports as a
 * truncate record, op {@code t}, on the table's topic); during a snapshot only the CREATE of each captured table, so
 * that empty tables exist on the target.
 */
public final class SchemaChangeEvents {

    /** A table by database and name. */
    private record Table(String db, String name) {
    }

    /**
     * One change of one table, before it is written. {@code previous}: the old name of a renamed table; {@code like}: the
     * table a CREATE TABLE ... LIKE copies. The event goes to their topics too, so that it takes its place among their rows.
     */
    private record Change(String kind, String db, String table, Table previous, Table like, Struct definition) {
    }

    private final String connectorName;
    private final String debeziumPrefix;
    private final String topicPrefix;
    private final long generation;
    private final String server;
    private final byte[] instanceHeader;
    private final byte[] connectorHeader;
    private final byte[] generationHeader;
    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);

    public SchemaChangeEvents(String connectorName, String debeziumPrefix, String topicPrefix, String instanceId, long generation, String server) {
        this.connectorName = connectorName;
        this.debeziumPrefix = debeziumPrefix;
        this.topicPrefix = topicPrefix;
        this.generation = generation;
        this.server = server;
        this.instanceHeader = instanceId.getBytes(StandardCharsets.UTF_8);
        this.connectorHeader = connectorName.getBytes(StandardCharsets.UTF_8);
        this.generationHeader = Long.toString(generation).getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the schema-change events of {@code record} to {@code out}; records that are not schema changes add nothing. */
    public void append(SourceRecord record, long epoch, ToIntFunction<String> partitions, List<ProducerRecord<byte[], byte[]>> out) {
        if (record.value() instanceof Struct truncate && truncate.schema().field("op") != null && "t".equals(truncate.getString("op"))) {
            // Debezium reports TRUNCATE TABLE as a truncate record (op t) on the table's topic, not as a schema change.
            Struct source = truncate.getStruct("source");
            String db = source.getString("db");
            String table = source.getString("table");
            String ddl = "TRUNCATE TABLE `" + db.replace("`", "``") + "`.`" + table.replace("`", "``") + "`";
            publish(new Change("TRUNCATE", db, table, null, null, null), ddl, db, BinlogCoordinates.fromOffset(record.sourceOffset()),
                    source, false, epoch, partitions, out);
            return;
        }
        if (!record.topic().equals(debeziumPrefix) || !(record.value() instanceof Struct value) || value.schema().field("ddl") == null) {
            return;
        }
        Struct source = value.getStruct("source");
        boolean snapshot = isSnapshot(source);
        String ddl = value.getString("ddl");
        String database = value.schema().field("databaseName") != null ? value.getString("databaseName") : null;
        if (ddl == null || ddl.isBlank()) {
            return;
        }
        BinlogCoordinates position = BinlogCoordinates.fromOffset(record.sourceOffset());
        for (Change change : changes(value, ddl, database, snapshot)) {
            publish(change, ddl, database, position, source, snapshot, epoch, partitions, out);
        }
    }

    /** Adds one copy of the change's event per partition of each topic it goes to. */
    private void publish(Change change, String ddl, String database, BinlogCoordinates position, Struct source, boolean snapshot,
                         long epoch, ToIntFunction<String> partitions, List<ProducerRecord<byte[], byte[]>> out) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        String topic = TopicNames.changeTopic(topicPrefix, change.db(), change.table());
        topics.put(topic, partitions.applyAsInt(topic));
        for (Table related : new Table[] {change.previous(), change.like()}) {
            if (related != null) {
                String relatedTopic = TopicNames.changeTopic(topicPrefix, related.db(), related.name());
                topics.putIfAbsent(relatedTopic, partitions.applyAsInt(relatedTopic));
            }
        }
        int copies = topics.values().stream().mapToInt(Integer::intValue).sum();
        byte[] bytes = eventBytes(change, ddl, database, copies, position, source, snapshot);
        topics.forEach((t, count) -> {
            for (int partition = 0; partition < count; partition++) {
                out.add(new ProducerRecord<>(t, partition, (byte[]) null, bytes, headers(position, epoch)));
            }
        });
    }

    private static boolean isSnapshot(Struct source) {
        Object snapshot = source == null || source.schema().field("snapshot") == null ? null : source.get("snapshot");
        return snapshot != null && !"false".equalsIgnoreCase(snapshot.toString()) && !"incremental".equalsIgnoreCase(snapshot.toString());
    }

    private static List<Change> changes(Struct value, String ddl, String database, boolean snapshot) {
        List<Change> changes = new ArrayList<>();
        List<?> tableChanges = value.schema().field("tableChanges") != null ? value.getArray("tableChanges") : null;
        if (tableChanges != null && !tableChanges.isEmpty()) {
            List<RenamedTables.Rename> renames = snapshot ? List.of() : RenamedTables.of(ddl);
            for (Object o : tableChanges) {
                Struct c = (Struct) o;
                String type = c.getString("type");
                if (snapshot && !"CREATE".equals(type)) {
                    continue;
                }
                TableId id = TableId.parse(c.getString("id"));
                String db = id.catalog() != null ? id.catalog() : id.schema();
                Table previous = null;
                Table like = null;
                if ("ALTER".equals(type)) {
                    for (RenamedTables.Rename r : renames) {
                        String toDb = r.toSchema() != null ? r.toSchema() : database;
                        if (r.to().equalsIgnoreCase(id.table()) && (toDb == null || toDb.equalsIgnoreCase(db))) {
                            previous = new Table(r.fromSchema() != null ? r.fromSchema() : database, r.from());
                        }
                    }
                } else if ("CREATE".equals(type) && !snapshot) {
                    DdlTokens.TableRef copied = CreateLike.source(ddl);
                    if (copied != null) {
                        like = new Table(copied.schema() != null ? copied.schema() : database, copied.table());
                    }
                }
                changes.add(new Change(type, db, id.table(), previous, like, c.getStruct("table")));
            }
        }
        return changes;
    }

    private static void writeTable(JsonGenerator g, String field, Table table) throws IOException {
        if (table != null) {
            g.writeObjectFieldStart(field);
            g.writeStringField("db", table.db());
            g.writeStringField("table", table.name());
            g.writeEndObject();
        }
    }

    private RecordHeaders headers(BinlogCoordinates position, long epoch) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.POSITION, position.header(0).getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.GENERATION, generationHeader);
        headers.add(Headers.EPOCH, Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.INSTANCE, instanceHeader);
        headers.add(Headers.CONNECTOR, connectorHeader);
        return headers;
    }

    private byte[] eventBytes(Change change, String ddl, String database, int copies, BinlogCoordinates position, Struct source, boolean snapshot) {
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeNumberField("v", EventFormat.VERSION);
            g.writeStringField("op", EventFormat.OP_SCHEMA_CHANGE);
            g.writeObjectFieldStart("source");
            g.writeStringField("connector", connectorName);
            g.writeNumberField("generation", generation);
            g.writeStringField("server", server);
            g.writeStringField("db", change.db());
            g.writeStringField("table", change.table());
            g.writeStringField("file", position.file());
            g.writeNumberField("pos", position.pos());
            g.writeNumberField("event", position.event());
            g.writeNumberField("row", position.row());
            g.writeNumberField("sub", 0);
            Object gtid = source != null && source.schema().field("gtid") != null ? source.get("gtid") : null;
            if (gtid == null) {
                g.writeNullField("gtid");
            } else {
                g.writeStringField("gtid", gtid.toString());
            }
            Object ts = source == null ? null : source.get("ts_ms");
            g.writeNumberField("ts_ms", ts == null ? 0 : ((Number) ts).longValue());
            g.writeBooleanField("snapshot", snapshot);
            g.writeEndObject();
            g.writeObjectFieldStart("schema_change");
            g.writeStringField("kind", change.kind());
            g.writeStringField("ddl", ddl);
            if (database == null) {
                g.writeNullField("database");
            } else {
                g.writeStringField("database", database);
            }
            writeTable(g, "previous", change.previous());
            writeTable(g, "like", change.like());
            g.writeNumberField("copies", copies);
            if (change.definition() != null) {
                g.writeFieldName("definition");
                TableDefinitionJson.write(g, change.definition());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
