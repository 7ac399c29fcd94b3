package bench.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches one snapshot round of bench/snapshot-side-by-side.sh and prints one line "RESULT {json}".
 *
 * <p>While the pipeline runs it only polls the topic's committed end offset (last stable offset) and the pipeline's
 * CPU ticks every 100 ms, so that it takes next to no CPU from the pipeline. Once the end offset is at least N and has
 * not moved for 2 s, it reads the topic (read_committed) and finds the offsets of the first and the last snapshot row
 * (op "r"); the round's times are the first polls whose end offset passed those offsets. Records that are not rows
 * (the project's snapshot markers and schema changes) and transaction markers take offsets too, which is why the
 * end offset alone is not the row count.
 *
 * <p>Usage: SnapshotWatch BOOTSTRAP TOPIC ROWS PIPELINE_PID START_EPOCH_MS TIMEOUT_S CLK_TCK
 */
public final class SnapshotWatch {

    private static final Pattern OP_READ = Pattern.compile("\"op\":\"r\"");
    private static final Pattern KEY_ID = Pattern.compile("\"id\":(\\d+)");
    private static final long POLL_MS = 100;
    private static final long STABLE_MS = 2000;

    /** One poll: when, the committed end offset, the pipeline's CPU ticks (user + system) so far. */
    private record Sample(long atMs, long endOffset, long cpuTicks) {
    }

    /** What the topic holds: snapshot rows by key, their first and last offsets and CreateTimes. */
    private record Tally(long records, long rowRecords, long distinctIds, long idsOutOfRange, long firstRowOffset,
                         long lastRowOffset, long firstRowCreateMs, long lastRowCreateMs, long rowValueBytes) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: SnapshotWatch BOOTSTRAP TOPIC ROWS PIPELINE_PID START_EPOCH_MS TIMEOUT_S CLK_TCK");
            System.exit(2);
        }
        String bootstrap = args[0];
        String topic = args[1];
        long rows = Long.parseLong(args[2]);
        long pid = Long.parseLong(args[3]);
        long startMs = Long.parseLong(args[4]);
        long deadline = startMs + Long.parseLong(args[5]) * 1000;
        double clkTck = Double.parseDouble(args[6]);

        List<Sample> samples = new ArrayList<>();
        Tally tally = null;
        String error = null;
        try (Admin admin = admin(bootstrap)) {
            long lastChangeMs = System.currentTimeMillis();
            long lastEnd = -1;
            long countedAtEnd = -1;
            while (true) {
                long t = System.currentTimeMillis();
                if (t > deadline) {
                    error = "not all " + rows + " rows in the topic within the round timeout";
                    break;
                }
                long cpu = cpuTicks(pid);
                if (cpu < 0) {
                    error = "the pipeline process " + pid + " exited during the snapshot";
                    break;
                }
                long end = endOffset(admin, topic);
                samples.add(new Sample(t, end, cpu));
                if (end != lastEnd) {
                    lastEnd = end;
                    lastChangeMs = t;
                }
                if (end >= rows && t - lastChangeMs >= STABLE_MS && end != countedAtEnd) {
                    tally = count(bootstrap, topic, rows, end);
                    countedAtEnd = end;
                    if (tally.distinctIds() >= rows) {
                        break;
                    }
                }
                long sleep = POLL_MS - (System.currentTimeMillis() - t);
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
            Thread.sleep(1000); // stragglers (duplicates) land before the final count
            long finalEnd = endOffset(admin, topic);
            if (tally == null || finalEnd != countedAtEnd) {
                tally = count(bootstrap, topic, rows, finalEnd);
            }
            System.out.println("RESULT " + json(rows, startMs, clkTck, samples, tally, finalEnd, error));
        }
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    /** The last stable offset, summed over the topic's partitions. */
    static long endOffset(Admin admin, String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long sum = 0;
        for (var info : admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values()) {
            sum += info.offset();
        }
        return sum;
    }

    /** utime + stime of the process from /proc/PID/stat, or -1 once it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command name start at field 3 (state): utime is field 14, stime field 15
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Reads partition 0 of the topic from its start to {@code end} (the harness creates it with one partition). */
    static Tally count(String bootstrap, String topic, long rows, long end) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        BitSet ids = new BitSet();
        long records = 0;
        long rowRecords = 0;
        long outOfRange = 0;
        long firstOffset = -1;
        long lastOffset = -1;
        long firstCreate = -1;
        long lastCreate = -1;
        long valueBytes = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long idleSince = System.currentTimeMillis();
            while (consumer.position(tp) < end && System.currentTimeMillis() - idleSince < 30_000) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (!batch.isEmpty()) {
                    idleSince = System.currentTimeMillis();
                }
                for (ConsumerRecord<String, String> r : batch) {
                    records++;
                    if (r.value() == null || !OP_READ.matcher(r.value()).find()) {
                        continue;
                    }
                    rowRecords++;
                    valueBytes += r.serializedValueSize();
                    if (firstOffset < 0) {
                        firstOffset = r.offset();
                        firstCreate = r.timestamp();
                    }
                    lastOffset = r.offset();
                    lastCreate = r.timestamp();
                    Matcher m = r.key() == null ? null : KEY_ID.matcher(r.key());
                    long id = m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
                    if (id < 1 || id > rows) {
                        outOfRange++;
                    } else {
                        ids.set((int) id);
                    }
                }
            }
        }
        return new Tally(records, rowRecords, ids.cardinality(), outOfRange, firstOffset, lastOffset, firstCreate, lastCreate, valueBytes);
    }

    /** The first poll whose end offset is past {@code offset}, or null. */
    static Sample reached(List<Sample> samples, long offset) {
        if (offset < 0) {
            return null;
        }
        for (Sample s : samples) {
            if (s.endOffset() > offset) {
                return s;
            }
        }
        return null;
    }

    static String json(long rows, long startMs, double clkTck, List<Sample> samples, Tally t, long finalEnd, String error) {
        StringBuilder o = new StringBuilder("{");
        o.append("\"rows\":").append(rows)
                .append(",\"final_end_offset\":").append(finalEnd)
                .append(",\"records_read\":").append(t.records())
                .append(",\"row_records\":").append(t.rowRecords())
                .append(",\"distinct_ids\":").append(t.distinctIds())
                .append(",\"duplicates\":").append(t.rowRecords() - t.distinctIds() - t.idsOutOfRange())
                .append(",\"ids_out_of_range\":").append(t.idsOutOfRange())
                .append(",\"avg_row_value_bytes\":").append(t.rowRecords() == 0 ? 0 : t.rowValueBytes() / t.rowRecords())
                .append(",\"other_records\":").append(t.records() - t.rowRecords())
                .append(",\"polls\":").append(samples.size());
        Sample first = reached(samples, t.firstRowOffset());
        Sample last = t.distinctIds() >= rows ? reached(samples, t.lastRowOffset()) : null;
        if (first != null) {
            o.append(",\"start_to_first_row_s\":").append(fmt((first.atMs() - startMs) / 1000.0));
        }
        if (first != null && last != null) {
            double total = (last.atMs() - startMs) / 1000.0;
            double span = (last.atMs() - first.atMs()) / 1000.0;
            o.append(",\"start_to_last_row_s\":").append(fmt(total))
                    .append(",\"rows_per_s_from_start\":").append(fmt(rows / total))
                    .append(",\"first_to_last_row_s\":").append(fmt(span))
                    .append(",\"rows_per_s_first_to_last\":").append(fmt(rows / Math.max(span, 0.001)))
                    .append(",\"create_time_span_s\":").append(fmt((t.lastRowCreateMs() - t.firstRowCreateMs()) / 1000.0))
                    .append(",\"cpu_s_start_to_last_row\":").append(fmt(last.cpuTicks() / clkTck))
                    .append(",\"cpu_s_first_to_last_row\":").append(fmt((last.cpuTicks() - first.cpuTicks()) / clkTck));
        }
        if (error != null) {
            o.append(",\"error\":\"").append(error).append('"');
        } else if (last == null) {
            o.append(",\"error\":\"").append(t.distinctIds()).append(" of ").append(rows).append(" rows in the topic\"");
        }
        return o.append('}').toString();
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
