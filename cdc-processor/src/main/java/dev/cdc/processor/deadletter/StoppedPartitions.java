package dev.cdc.processor.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions stopped at a record under the stop policy: for /health, the metric {@value #STOPPED} and the operator
 * command, which reads them from {@code cdc_stopped_partition} (written here, best effort: the in-memory state is what
 * the processor acts on).
 */
@Singleton
public class StoppedPartitions {

    private static final Logger log = LoggerFactory.getLogger(StoppedPartitions.class);
    public static final String STOPPED = "cdc.processor.stopped.partitions";

    /** Where a partition stopped and why. */
    public record Stop(TopicPartition partition, long offset, String table, String position, String error, int attempts, Instant since) {
    }

    private final DataSource dataSource;
    private final Map<TopicPartition, Stop> stops = new ConcurrentHashMap<>();

    public StoppedPartitions(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        Gauge.builder(STOPPED, stops, Map::size)
                .description("Partitions stopped at a record the target refuses (error policy stop); see /health").register(registry);
    }

    public void stopped(Stop stop) {
        stops.put(stop.partition(), stop);
        write("REPLACE INTO " + RepairTables.STOPPED_PARTITION
                + " (topic, kafka_partition, kafka_offset, source_table, position, error, attempts, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(6))", ps -> {
                    ps.setString(1, stop.partition().topic());
                    ps.setInt(2, stop.partition().partition());
                    ps.setLong(3, stop.offset());
                    ps.setString(4, stop.table());
                    ps.setString(5, stop.position());
                    ps.setString(6, stop.error());
                    ps.setInt(7, stop.attempts());
                });
    }

    /** The partition moved on (the record applied, or was skipped or dead-lettered). */
    public void resumed(TopicPartition partition) {
        if (stops.remove(partition) != null) {
            write("DELETE FROM " + RepairTables.STOPPED_PARTITION + " WHERE topic = ? AND kafka_partition = ?", ps -> {
                ps.setString(1, partition.topic());
                ps.setInt(2, partition.partition());
            });
        }
    }

    /** The partitions went to another consumer: it reports them if they stay stopped there. */
    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(stops::remove);
    }

    public boolean isStopped(TopicPartition partition) {
        return stops.containsKey(partition);
    }

    public List<Stop> list() {
        return stops.values().stream().sorted(Comparator.comparing((Stop s) -> s.partition().topic()).thenComparingInt(s -> s.partition().partition()))
                .toList();
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void write(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not record the stopped partition in {} ({}); /health and the metrics still show it", RepairTables.STOPPED_PARTITION, e.toString());
        }
    }
}
