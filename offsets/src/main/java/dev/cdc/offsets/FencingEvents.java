package dev.cdc.offsets;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the application that a fenced store refused a write. Debezium's engine only logs a failed offset flush and
 * keeps streaming, and it creates the offset store itself (by class name), so the application cannot see the
 * refusal otherwise; it subscribes here and stops its engine when its connector is fenced (docs/design.md, invariant 3).
 */
public final class FencingEvents {

    private static final Logger log = LoggerFactory.getLogger(FencingEvents.class);
    private static final List<Consumer<FencingException>> LISTENERS = new CopyOnWriteArrayList<>();

    /** Cancels a subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private FencingEvents() {
    }

    /**
     * Calls {@code listener} on the writer's thread each time a fenced store refuses a write (of any connector: check
     * {@link FencingException#connectorName()} and {@link FencingException#writerEpoch()}). Keep it short and
     * non-blocking, e.g. signal the leadership loop.
     */
    public static Subscription subscribe(Consumer<FencingException> listener) {
        Objects.requireNonNull(listener, "listener");
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    static void publish(FencingException fenced) {
        for (Consumer<FencingException> listener : LISTENERS) {
            try {
                listener.accept(fenced);
            } catch (RuntimeException e) {
                log.warn("A fencing listener failed: {}", e.toString());
            }
        }
    }
}
