package dev.cdc.offsets;

/**
 * A write to the shared store was refused because the writer's term (owner and lease epoch) is no longer the current
 * one: another instance has acquired the lease since, or the lease row names another owner at the writer's epoch.
 * The writer must stop its engine at once.
 */
public class FencingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String connectorName;
    private final String writerOwner;
    private final long writerEpoch;
    private final Long currentEpoch;
    private final String currentOwner;

    /** A refusal by epoch alone (the writer's owner unknown). */
    public FencingException(String connectorName, long writerEpoch, Long currentEpoch, String currentOwner) {
        this(connectorName, null, writerEpoch, currentEpoch, currentOwner);
    }

    /**
     * @param writerOwner the refused writer's instance, or null when unknown
     * @param currentEpoch null when there is no lease row at all
     */
    public FencingException(String connectorName, String writerOwner, long writerEpoch, Long currentEpoch, String currentOwner) {
        super(message(connectorName, writerOwner, writerEpoch, currentEpoch, currentOwner));
        this.connectorName = connectorName;
        this.writerOwner = writerOwner;
        this.writerEpoch = writerEpoch;
        this.currentEpoch = currentEpoch;
        this.currentOwner = currentOwner;
    }

    private static String message(String connectorName, String writerOwner, long writerEpoch, Long currentEpoch, String currentOwner) {
        if (currentEpoch == null) {
            return "Fenced: connector " + connectorName + " has no lease in the shared store; this writer has epoch " + writerEpoch
                    + " and must stop";
        }
        if (currentEpoch == writerEpoch && writerOwner != null) {
            return "Fenced: connector " + connectorName + " lease epoch " + currentEpoch + " is held by " + currentOwner + ", not by this writer ("
                    + writerOwner + "); the lease row was reused (store restored from a backup or edited): this writer must stop";
        }
        return "Fenced: connector " + connectorName + " is now at lease epoch " + currentEpoch + " held by " + currentOwner
                + "; this writer has epoch " + writerEpoch + " and must stop";
    }

    public String connectorName() {
        return connectorName;
    }

    /** The refused writer's instance, or null when unknown. */
    public String writerOwner() {
        return writerOwner;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    /** The epoch in the store when the write was refused, or null if the connector has no lease row. */
    public Long currentEpoch() {
        return currentEpoch;
    }

    public String currentOwner() {
        return currentOwner;
    }
}
