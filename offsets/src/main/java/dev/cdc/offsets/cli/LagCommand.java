package dev.cdc.offsets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.offsets.StoredOffset;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** How far behind the connector is: binlog bytes, files and seconds, and the processor's consumer lag per topic. */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = {"The distance from the connector's stored position to the source's current binlog position (SHOW BINARY LOG STATUS /"
                + " SHOW MASTER STATUS): bytes (file sizes from SHOW BINARY LOGS), binlog files, and seconds by event time, and the"
                + " processor consumer group's lag per topic <prefix>.<db>.<table> (read_committed end offsets minus committed offsets).",
                "Event times: the stored position's is the offset's ts_sec (the binlog event's timestamp); the source head's is the source's"
                + " clock NOW(), since SHOW BINLOG EVENTS gives no timestamp. Seconds behind is 0 when no bytes are behind.",
                "Without Kafka bootstrap servers only the binlog part is printed, saying Kafka was not asked."})
final class LagCommand extends Subcommand {

    @Mixin
    Options.Source source = new Options.Source();

    @Mixin
    Options.Kafka kafka = new Options.Kafka();

    @Override
    int execute() {
        Settings.SourceTarget sourceTarget = settings().source(source);
        String name;
        List<StoredOffset> offsets;
        try (StoreView store = openStore()) {
            name = store.requireConnector(settings().connector(common));
            offsets = Offsets.read(store, name);
        }
        Settings.KafkaTarget kafkaTarget = settings().kafka(kafka, name);
        SourceServer.Status status;
        try (SourceServer server = SourceServer.connect(sourceTarget)) {
            status = server.status();
        }
        Map<String, Object> stored = primary(name, offsets);
        String storedFile = Offsets.file(stored);
        Long storedPos = Offsets.number(stored, "pos");
        Long bytes = null;
        Integer files = null;
        Long seconds = null;
        boolean onSource = storedFile != null && status.binaryLogs().containsKey(storedFile);
        if (storedFile != null && storedPos != null && status.headFile() != null) {
            bytes = Binlog.bytesBetween(status.binaryLogs(), storedFile, storedPos, status.headFile(), status.headPos());
            files = Binlog.filesBetween(status.binaryLogs(), storedFile, status.headFile());
            Instant eventTime = Offsets.eventTime(stored);
            if (bytes != null && bytes == 0) {
                seconds = 0L;
            } else if (eventTime != null) {
                seconds = Math.max(0, Duration.between(eventTime, status.now()).toSeconds());
            }
        }
        List<ConsumerLag.TopicLag> topics = kafkaTarget.bootstrap() == null ? null
                : ConsumerLag.measure(kafkaTarget.bootstrap(), kafkaTarget.group(), kafkaTarget.topicPrefix());
        if (common.json) {
            printJson(name, stored, status, bytes, files, seconds, onSource, kafkaTarget, topics);
        } else {
            printText(name, stored, status, bytes, files, seconds, onSource, kafkaTarget, topics);
        }
        return ExitCode.OK;
    }

    /** The connector's own partition ({@code ["name",{"server":"name"}]}), else the first one. */
    static Map<String, Object> primary(String name, List<StoredOffset> offsets) {
        String key = Offsets.partitionKey(name);
        return offsets.stream().filter(o -> o.partitionKey().equals(key)).findFirst()
                .or(() -> offsets.stream().findFirst()).map(StoredOffset::offset).orElse(null);
    }

    private void printText(String name, Map<String, Object> stored, SourceServer.Status status, Long bytes, Integer files, Long seconds,
            boolean onSource, Settings.KafkaTarget kafkaTarget, List<ConsumerLag.TopicLag> topics) {
        PrintWriter out = out();
        out.println("Connector " + name);
        Table t = new Table("", "FILE", "POSITION", "EVENT TIME").right(2);
        if (stored == null) {
            t.row("stored offset", "none", null, "the next leader takes an initial snapshot");
        } else {
            Instant eventTime = Offsets.eventTime(stored);
            t.row("stored offset", Offsets.file(stored), Offsets.number(stored, "pos"), eventTime == null ? null : Text.time(eventTime) + " (ts_sec)");
        }
        t.row("source head", status.headFile(), status.headPos(), Text.time(status.now()) + " (source clock)");
        t.print(out);
        out.println();
        if (status.headFile() == null) {
            out.println("behind: unknown: binary logging is off on the source (run 'offsets validate')");
        } else if (stored == null) {
            out.println("behind: unknown (no stored offset)");
        } else if (!onSource) {
            out.println("behind: unknown: " + Offsets.file(stored) + " is not on the source any more (run 'offsets validate')");
        } else if (bytes == null) {
            out.println("behind: unknown: the stored position is after the source head (run 'offsets validate')");
        } else {
            out.println("behind: " + files + (files == 1 ? " binlog file, " : " binlog files, ") + bytes + " bytes, "
                    + (seconds == null ? "unknown seconds" : seconds + " s by event time"));
        }
        out.println();
        if (topics == null) {
            out.println("Kafka: not asked (give --kafka-bootstrap, KAFKA_BOOTSTRAP_SERVERS or kafka.bootstrap.servers in --config"
                    + " for the processor's consumer lag)");
            return;
        }
        out.println("Consumer group " + kafkaTarget.group() + " on " + kafkaTarget.bootstrap() + ", topics " + kafkaTarget.topicPrefix() + ".<db>.<table>:");
        if (topics.isEmpty()) {
            out.println("no topics " + kafkaTarget.topicPrefix() + ".<db>.<table> yet");
            return;
        }
        Table k = new Table("TOPIC", "PARTITIONS", "END OFFSET", "COMMITTED", "LAG").right(1, 2, 3, 4);
        long total = 0;
        for (ConsumerLag.TopicLag l : topics) {
            k.row(l.topic(), l.partitions(), l.endOffset(), l.committed() == null ? "none" : l.committed(), l.lag());
            total += l.lag();
        }
        k.row("total", "", "", "", total);
        k.print(out);
    }

    private void printJson(String name, Map<String, Object> stored, SourceServer.Status status, Long bytes, Integer files, Long seconds,
            boolean onSource, Settings.KafkaTarget kafkaTarget, List<ConsumerLag.TopicLag> topics) {
        ObjectNode root = Json.object();
        root.put("connector", name);
        if (stored == null) {
            root.putNull("stored");
        } else {
            ObjectNode s = root.putObject("stored");
            s.put("file", Offsets.file(stored));
            Json.putNumber(s, "pos", Offsets.number(stored, "pos"));
            s.put("gtids", Offsets.text(stored, "gtids"));
            Json.putNumber(s, "ts_sec", Offsets.number(stored, "ts_sec"));
            Json.put(s, "event_time", Offsets.eventTime(stored));
        }
        ObjectNode head = root.putObject("source_head");
        head.put("file", status.headFile());
        Json.putNumber(head, "pos", status.headPos());
        head.put("gtids", status.gtidHead());
        Json.put(head, "time", status.now());
        ObjectNode behind = root.putObject("behind");
        Json.putNumber(behind, "bytes", bytes);
        Json.putNumber(behind, "files", files);
        Json.putNumber(behind, "seconds", seconds);
        behind.put("stored_file_on_source", onSource);
        ObjectNode k = root.putObject("kafka");
        k.put("asked", topics != null);
        k.put("bootstrap", kafkaTarget.bootstrap());
        k.put("group", kafkaTarget.group());
        k.put("topic_prefix", kafkaTarget.topicPrefix());
        ArrayNode list = k.putArray("topics");
        long total = 0;
        if (topics != null) {
            for (ConsumerLag.TopicLag l : topics) {
                ObjectNode n = list.addObject();
                n.put("topic", l.topic());
                n.put("partitions", l.partitions());
                n.put("end_offset", l.endOffset());
                Json.putNumber(n, "committed_offset", l.committed());
                n.put("lag", l.lag());
                n.put("uncommitted_partitions", l.uncommittedPartitions());
                total += l.lag();
            }
        }
        Json.putNumber(k, "total_lag", topics == null ? null : total);
        Json.print(out(), root);
    }
}
