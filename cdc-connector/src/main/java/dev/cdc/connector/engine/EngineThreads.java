package dev.cdc.connector.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads of one connector's Debezium engine in this process, found by the names Debezium gives them
 * ({@code debezium-<connector class>-<topic.prefix>-<role>}: the change-event-source coordinator, the signal
 * processor, snapshot workers) and the binlog client's ({@code blc-<host>:<port>}, {@code blc-keepalive-<host>:<port>}),
 * so that an engine that does not stop can be named.
 *
 * @param logicalName the engine's {@code topic.prefix}
 * @param sourceAddress the source's {@code host:port} as the engine connects to it
 */
public record EngineThreads(String logicalName, String sourceAddress) {

    /** The engine's live threads. */
    public List<Thread> live() {
        return new ArrayList<>(stacks().keySet());
    }

    /** Name, state and innermost frame of each live thread of the engine, on one line; "none" when there is none. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        stacks().forEach((t, stack) -> parts.add(t.getName() + " (" + t.getState() + (stack.length > 0 ? " at " + stack[0] : "") + ")"));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private Map<Thread, StackTraceElement[]> stacks() {
        Map<Thread, StackTraceElement[]> found = new LinkedHashMap<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (belongs(t)) {
                found.put(t, stack);
            }
        });
        return found;
    }

    private boolean belongs(Thread t) {
        String name = t.getName();
        return t.isAlive() && ((name.startsWith("debezium-") && name.contains("-" + logicalName + "-"))
                || name.equals("blc-" + sourceAddress) || name.equals("blc-keepalive-" + sourceAddress));
    }
}
