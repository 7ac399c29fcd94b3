package dev.cdc.processor.deadletter;

import dev.cdc.processor.apply.ApplyFailure;
import dev.cdc.processor.apply.BatchApplier;
import dev.cdc.processor.apply.BatchApplier.ReplayOutcome;
import dev.cdc.processor.consumer.ApplyGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the operator's replay and purge requests ({@code cdc_repair_request}), one at a time, holding the
 * {@link ApplyGate} so that no streamed change of the same keys is applied meanwhile. A replay applies the pending dead
 * letters of its scope in source order; each one is marked replayed in the transaction that applies it, so a record is
 * replayed exactly once and a second replay finds nothing to do. When a record fails again, the later dead letters of
 * its key are left for the next replay, to keep the order per key.
 */
@Singleton
public class RepairRequestExecutor {

    private static final Logger log = LoggerFactory.getLogger(RepairRequestExecutor.class);
    public static final String REPLAYED = "cdc.processor.dead.letters.replayed";

    private final DataSource dataSource;
    private final BatchApplier applier;
    private final PendingDeadLetters pending;
    private final ApplyGate gate;
    private final Counter replayed;

    public RepairRequestExecutor(DataSource dataSource, BatchApplier applier, PendingDeadLetters pending, ApplyGate gate, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.applier = applier;
        this.pending = pending;
        this.gate = gate;
        this.replayed = Counter.builder(REPLAYED).description("Dead-lettered records applied by a replay request").register(registry);
    }

    @Scheduled(fixedDelay = "${cdc.processor.request-poll-interval:1s}", initialDelay = "${cdc.processor.request-poll-interval:1s}")
    void poll() {
        if (!gate.isOpen()) {
            return;
        }
        List<RepairRequests.Request> open;
        try (Connection c = dataSource.getConnection()) {
            open = RepairRequests.openTableRequests(c);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Could not read repair requests ({}); trying again", e.toString());
            return;
        }
        for (RepairRequests.Request r : open) {
            if (!gate.isOpen()) {
                return;
            }
            try {
                execute(r);
            } catch (SQLException | RuntimeException e) {
                log.warn("Repair request #{} ({}) could not be executed ({}); it stays open and is tried again", r.id(), r.action(), e.toString());
            }
        }
    }

    void execute(RepairRequests.Request r) throws SQLException {
        gate.enter();
        try {
            if (!gate.isOpen() || !claim(r.id())) {
                return;
            }
            String result;
            boolean ok;
            if (RepairRequests.PURGE.equals(r.action())) {
                int n = purge(r);
                ok = true;
                result = "purged " + n;
            } else {
                Summary s = replay(r);
                ok = s.failed == 0 && s.unavailable == null;
                result = s.toString();
            }
            finish(r.id(), ok, result);
            log.info("Repair request #{} ({}{}): {}", r.id(), r.action(), scope(r), result);
            pending.reload();
        } finally {
            gate.leave();
        }
    }

    private static final class Summary {
        int applied;
        int superseded;
        int failed;
        int waiting;
        String firstError;
        String unavailable;

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("replayed " + applied + ", superseded " + superseded + ", failed " + failed);
            if (waiting > 0) {
                sb.append(", left waiting behind a failed one ").append(waiting);
            }
            if (firstError != null) {
                sb.append("; first failure ").append(firstError);
            }
            if (unavailable != null) {
                sb.append("; stopped: the target database is unavailable (").append(unavailable).append("), run replay again");
            }
            return sb.toString();
        }
    }

    private Summary replay(RepairRequests.Request r) throws SQLException {
        List<DeadLetterStore.Pending> letters;
        try (Connection c = dataSource.getConnection()) {
            letters = DeadLetterStore.pending(c, r.deadLetterId(), r.sourceTable());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        Summary s = new Summary();
        Set<String> blocked = new HashSet<>();
        for (DeadLetterStore.Pending p : letters) {
            String key = p.topic() + "/" + (p.key() == null ? "" : Base64.getEncoder().encodeToString(p.key()));
            if (blocked.contains(key)) {
                s.waiting++;
                continue;
            }
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(p.topic(), p.partition(), p.offset(), p.key(), p.value());
            try {
                ReplayOutcome outcome = applier.replay(record, (c, moved) -> DeadLetterStore.markReplayed(c, p.id(), r.id()));
                switch (outcome) {
                    case APPLIED -> {
                        s.applied++;
                        replayed.increment();
                    }
                    case SUPERSEDED -> s.superseded++;
                    case ROLLED_BACK -> {
                        // Replayed by an earlier request meanwhile: nothing to do.
                    }
                }
            } catch (ApplyFailure f) {
                if (f.isTransient()) {
                    s.unavailable = f.describe();
                    return s;
                }
                s.failed++;
                blocked.add(key);
                if (s.firstError == null) {
                    s.firstError = "#" + p.id() + ": " + f.describe();
                }
            }
        }
        return s;
    }

    private int purge(RepairRequests.Request r) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int n = DeadLetterStore.purge(c, r.deadLetterId(), r.sourceTable());
            c.commit();
            return n;
        }
    }

    private boolean claim(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            boolean claimed = RepairRequests.claim(c, id);
            c.commit();
            return claimed;
        }
    }

    private void finish(long id, boolean ok, String result) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            RepairRequests.finish(c, id, ok, result);
            c.commit();
        }
    }

    private static String scope(RepairRequests.Request r) {
        if (r.deadLetterId() != null) {
            return " #" + r.deadLetterId();
        }
        return r.sourceTable() == null ? " of every table" : " of " + r.sourceTable();
    }
}
